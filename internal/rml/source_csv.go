package rml

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
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
}

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
	c := &csvReader{r: r, cols: map[string]int{}, nulls: ls.nulls}
	first, err := r.Read()
	if err == io.EOF {
		return c, nil
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
	return c, nil
}

func (c *csvReader) compile(ref string) (int, error) {
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
	return rec()
}

func (c *csvReader) values(id int, dst []string) []string {
	i := c.accs[id]
	if i >= len(c.rec) {
		return dst
	}
	v := c.rec[i]
	if v == "" {
		return dst
	}
	for _, n := range c.nulls {
		if v == n {
			return dst
		}
	}
	return append(dst, v)
}

func (c *csvReader) where() string            { return "line " + strconv.Itoa(c.line) }
func (c *csvReader) whereField(string) string { return c.where() }
func (c *csvReader) close() error             { return nil }
