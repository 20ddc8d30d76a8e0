package rml

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// oefn:lookup reads a value in a small code table shipped beside the mapping
// (a nomenclature: equipment label → type code, sub-domain → family): RML
// joins produce the parent's subject, never one of its values, so a code
// list cannot be applied with a join.

// bindLookup loads the table of an oefn:lookup call once per execution.
// Its table, key and value columns must be constants (or parameters): the
// table is a property of the mapping, not of the record.
func (e *executor) bindLookup(call *fnCall) error {
	if call.table != nil {
		return nil
	}
	names := []string{"oefn:table", "oefn:keyColumn", "oefn:valueColumn", "oefn:delimiter"}
	var conf [4]string
	for i := range conf {
		p := call.params[i+1]
		switch {
		case p == nil && i == 3:
			conf[i] = ","
		case p == nil:
			return fmt.Errorf("oefn:lookup: %s is missing", names[i])
		case p.kind != tmConstant:
			return fmt.Errorf("oefn:lookup: %s must be a constant", names[i])
		default:
			conf[i] = p.constant.Value
		}
	}
	path := conf[0]
	if !filepath.IsAbs(path) {
		dir := e.opt.BaseDir
		if dir == "" {
			dir = e.m.dir
		}
		path = filepath.Join(dir, path)
	}
	k := strings.Join(append([]string{path}, conf[1:]...), "\x00")
	if t, ok := e.tables[k]; ok {
		call.table = t
		return nil
	}
	t, err := loadLookup(path, conf[1], conf[2], conf[3])
	if err != nil {
		return fmt.Errorf("oefn:lookup: %w", err)
	}
	if e.tables == nil {
		e.tables = map[string]map[string]string{}
	}
	e.tables[k] = t
	call.table = t
	return nil
}

// loadLookup reads key → value from a UTF-8 CSV file with a header. A key
// given twice with different values is an error: the lookup would be
// ambiguous.
func loadLookup(path, keyCol, valCol, delim string) (map[string]string, error) {
	d := []rune(delim)
	if len(d) != 1 {
		return nil, fmt.Errorf("%s: oefn:delimiter %q must be one character", path, delim)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = d[0]
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: no data row", path)
	}
	h := rows[0]
	h[0] = strings.TrimPrefix(h[0], "\ufeff")
	ki, vi := slices.Index(h, keyCol), slices.Index(h, valCol)
	if ki < 0 || vi < 0 {
		return nil, fmt.Errorf("%s: columns %q and %q must be in the header (columns: %s)", path, keyCol, valCol, strings.Join(h, ", "))
	}
	t := make(map[string]string, len(rows)-1)
	for i, row := range rows[1:] {
		k, v := row[ki], row[vi]
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, fmt.Errorf("%s: line %d: not valid UTF-8", path, i+2)
		}
		if k == "" {
			continue
		}
		if old, dup := t[k]; dup && old != v {
			return nil, fmt.Errorf("%s: line %d: key %q maps to %q and %q", path, i+2, k, old, v)
		}
		t[k] = v
	}
	return t, nil
}
