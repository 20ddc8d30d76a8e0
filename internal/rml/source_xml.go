package rml

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
)

// xmlReader streams the elements matched by the XPath iterator with
// xmlquery's stream parser (each matched element is dropped from the tree
// once handled); references are XPath expressions relative to it.
type xmlReader struct {
	in       io.Reader
	iterator string
	exprs    []*xpath.Expr
	refs     []string
	// simple[i] is set for references that are a plain child element name
	// or "@attr": they are read by walking the node, much faster than XPath.
	simple []string
	attr   []bool
	cur    *xmlquery.Node
	n      int
}

func newXMLReader(in io.Reader, iterator string) (*xmlReader, error) {
	if _, err := xpath.Compile(iterator); err != nil {
		return nil, fmt.Errorf("iterator %q: %w", iterator, err)
	}
	return &xmlReader{in: in, iterator: iterator}, nil
}

func (r *xmlReader) compile(ref string) (int, error) {
	x, err := xpath.Compile(ref)
	if err != nil {
		return 0, fmt.Errorf("reference %q: %w", ref, err)
	}
	r.exprs = append(r.exprs, x)
	r.refs = append(r.refs, ref)
	name, isAttr := strings.CutPrefix(ref, "@")
	if !isXMLName(name) {
		name = ""
	}
	r.simple = append(r.simple, name)
	r.attr = append(r.attr, isAttr)
	return len(r.exprs) - 1, nil
}

func (r *xmlReader) each(rec func() error, bad func(string, error) error) error {
	sp, err := xmlquery.CreateStreamParser(r.in, r.iterator)
	if err != nil {
		return fmt.Errorf("iterator %q: %w", r.iterator, err)
	}
	for {
		n, err := sp.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("parse XML after %s[%d]: %w", r.iterator, r.n, err)
		}
		r.n++
		r.cur = n
		if err := rec(); err != nil {
			return err
		}
	}
}

func isXMLName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		ok := c == '_' || unicode.IsLetter(c) || i > 0 && (c == '-' || c == '.' || unicode.IsDigit(c))
		if !ok {
			return false
		}
	}
	return true
}

func (r *xmlReader) values(id int, dst []string) []string {
	if name := r.simple[id]; name != "" {
		if r.attr[id] {
			for _, a := range r.cur.Attr {
				if a.Name.Space == "" && a.Name.Local == name && a.Value != "" {
					dst = append(dst, a.Value)
				}
			}
			return dst
		}
		for c := r.cur.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xmlquery.ElementNode && c.Prefix == "" && c.Data == name {
				if v := c.InnerText(); v != "" {
					dst = append(dst, v)
				}
			}
		}
		return dst
	}
	res := r.exprs[id].Evaluate(xmlquery.CreateXPathNavigator(r.cur))
	switch v := res.(type) {
	case *xpath.NodeIterator:
		for v.MoveNext() {
			if s := v.Current().Value(); s != "" {
				dst = append(dst, s)
			}
		}
	case string:
		if v != "" {
			dst = append(dst, v)
		}
	case float64:
		dst = append(dst, strconv.FormatFloat(v, 'f', -1, 64))
	case bool:
		dst = append(dst, strconv.FormatBool(v))
	}
	return dst
}

func (r *xmlReader) where() string { return r.iterator + "[" + strconv.Itoa(r.n) + "]" }
func (r *xmlReader) whereField(ref string) string {
	if ref == "" || strings.Contains(ref, ",") { // several references (template, function)
		return r.where()
	}
	return r.where() + "/" + ref
}
func (r *xmlReader) close() error { return nil }
