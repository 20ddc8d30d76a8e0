package rml

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

type csvReader struct {
	r      *csv.Reader
	header []string
	cols   map[string]int
	accs   []int
	rec    []string
	nulls  []string
	line   int

	// oerml:unpivot: the columns turned into rows, the ones holding a
	// value in the current row, and the one being read.
	unpivot *unpivotSpec
	pivoted []int
	filled  []int
	cell    int
}

// Accessors of the unpivot references (accs holds column indexes otherwise).
const (
	accColumnName  = -1
	accColumnValue = -2
)

func newCSVReader(in io.Reader, ls *logicalSource) (*csvReader, error) {
	dec, err := decoderFor(ls.encoding)
	if err != nil {
		return nil, err
	}
	if dec != nil {
		in = dec.Reader(in)
	}
	r := csv.NewReader(in)
	r.Comma = ls.delim
	r.ReuseRecord = true
	r.FieldsPerRecord = -1 // checked per record, to report rather than stop
	c := &csvReader{r: r, cols: map[string]int{}, nulls: ls.nulls, unpivot: ls.unpivot, cell: -1}
	first, err := r.Read()
	if err == io.EOF {
		// Not an empty file (openInput refuses those) but blank lines only.
		return nil, fmt.Errorf("no header: the file holds only blank lines")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if ls.header {
		c.header = append([]string(nil), first...)
		if len(c.header) > 0 {
			c.header[0] = strings.TrimPrefix(c.header[0], "\ufeff")
		}
		for i, h := range c.header {
			if _, dup := c.cols[h]; !dup {
				c.cols[h] = i
			}
		}
	} else {
		// Without a header, columns are referenced by 1-based number.
		for i := range first {
			c.header = append(c.header, strconv.Itoa(i+1))
			c.cols[strconv.Itoa(i+1)] = i
		}
		c.rec = append([]string(nil), first...)
	}
	if c.unpivot != nil {
		if err := c.selectPivoted(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// selectPivoted finds the columns oerml:unpivot turns into rows. Naming a
// column the header lacks, or selecting none, is a mapping error: a wide
// file whose layout changed must not map to nothing.
func (c *csvReader) selectPivoted() error {
	u := c.unpivot
	for _, name := range append(append([]string(nil), u.columns...), u.ids...) {
		if _, ok := c.cols[name]; !ok {
			return fmt.Errorf("oerml:unpivot: column %q is not in the header (columns: %s)", name, strings.Join(c.header, ", "))
		}
	}
	for i, h := range c.header {
		var take bool
		switch {
		case u.pattern != nil:
			take = u.pattern.MatchString(h)
		case len(u.columns) > 0:
			take = slices.Contains(u.columns, h)
		default:
			take = !slices.Contains(u.ids, h)
		}
		if take {
			c.pivoted = append(c.pivoted, i)
		}
	}
	if len(c.pivoted) == 0 {
		return fmt.Errorf("oerml:unpivot: no column of the header is selected (columns: %s)", strings.Join(c.header, ", "))
	}
	for _, r := range []string{u.nameRef, u.valueRef} {
		if _, clash := c.cols[r]; clash {
			return fmt.Errorf("oerml:unpivot: reference %q is also a column of the header: name it otherwise", r)
		}
	}
	return nil
}

func (c *csvReader) compile(ref string) (int, error) {
	if u := c.unpivot; u != nil && (ref == u.nameRef || ref == u.valueRef) {
		acc := accColumnName
		if ref == u.valueRef {
			acc = accColumnValue
		}
		c.accs = append(c.accs, acc)
		return len(c.accs) - 1, nil
	}
	i, ok := c.cols[ref]
	if !ok {
		if c.header == nil {
			// Empty file: nothing will be read, any reference is fine.
			c.accs = append(c.accs, 0)
			return len(c.accs) - 1, nil
		}
		return 0, fmt.Errorf("column %q is not in the header (columns: %s)", ref, strings.Join(c.header, ", "))
	}
	c.accs = append(c.accs, i)
	return len(c.accs) - 1, nil
}

func (c *csvReader) each(rec func() error, bad func(string, error) error) error {
	if c.header == nil {
		return nil
	}
	if c.rec != nil { // header=false: first line is data
		c.line = 1
		if err := c.check(rec, bad); err != nil {
			return err
		}
	}
	for {
		r, err := c.r.Read()
		if err == io.EOF {
			return nil
		}
		c.rec = r
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if err := bad("line "+strconv.Itoa(pe.StartLine), pe.Err); err != nil {
					return err
				}
				continue
			}
			return err
		}
		c.line, _ = c.r.FieldPos(0)
		if err := c.check(rec, bad); err != nil {
			return err
		}
	}
}

func (c *csvReader) check(rec func() error, bad func(string, error) error) error {
	if len(c.rec) != len(c.header) {
		return bad(c.where(), fmt.Errorf("%d fields, the header has %d", len(c.rec), len(c.header)))
	}
	// A wrong encoding must not slip through as U+FFFD in the graph.
	for i, f := range c.rec {
		if !utf8.ValidString(f) {
			return bad(c.where(), fmt.Errorf("column %q is not valid UTF-8 (set csvw:encoding, e.g. \"ISO-8859-1\")", c.header[i]))
		}
	}
	if c.unpivot != nil {
		c.filled = c.filled[:0]
		for _, i := range c.pivoted {
			if !c.isNull(c.rec[i]) {
				c.filled = append(c.filled, i)
			}
		}
		c.cell = -1
	}
	return rec()
}

// cells is the number of unpivoted records of the current row (its
// selected columns that hold a value), -1 without oerml:unpivot: the
// executor maps them all and emits or rejects the row as a whole.
func (c *csvReader) cells() int {
	if c.unpivot == nil {
		return -1
	}
	return len(c.filled)
}

// setCell selects the k-th unpivoted record of the current row.
func (c *csvReader) setCell(k int) { c.cell = c.filled[k] }

func (c *csvReader) isNull(v string) bool {
	return v == "" || slices.Contains(c.nulls, v)
}

func (c *csvReader) values(id int, dst []string) []string {
	i := c.accs[id]
	switch {
	case i == accColumnName:
		if c.cell < 0 {
			return dst
		}
		return append(dst, c.header[c.cell])
	case i == accColumnValue:
		if c.cell < 0 {
			return dst
		}
		i = c.cell
	}
	if i >= len(c.rec) {
		return dst
	}
	v := c.rec[i]
	if c.isNull(v) {
		return dst
	}
	return append(dst, v)
}

func (c *csvReader) where() string { return "line " + strconv.Itoa(c.line) }

// whereField adds the unpivoted column when the field reads only the cell
// (a bad value); a field that also reads the row's other columns (a key)
// is about the row.
func (c *csvReader) whereField(ref string) string {
	if u := c.unpivot; u != nil && c.cell >= 0 && ref != "" {
		for _, r := range strings.Split(ref, ",") {
			if r != u.nameRef && r != u.valueRef {
				return c.where()
			}
		}
		return c.where() + " column " + strconv.Quote(c.header[c.cell])
	}
	return c.where()
}
