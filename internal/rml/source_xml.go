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

// xmlReader iterates the elements matched by the XPath iterator;
// references are XPath expressions relative to each.
//
// Streaming: a streaming parser only has what it has read so far, so an
// element's later siblings and the rest of its ancestors are missing when
// the element ends. The reader therefore streams, whole, the shallowest
// ancestor of the iterated elements that any reference, join key or
// iterator predicate can reach ("unit": for /lheo/offres/formation/action/
// session read with "../nombre-heures-total", the action; with
// "../../@numero", the formation), evaluates the rest of the iterator inside
// it, and drops it. Memory is bounded by one unit, and the work per unit
// does not depend on what came before (linear in the file). When the
// iterator is not a plain absolute path of child steps ("//x", unions) or a
// reference may reach above the document element (absolute paths,
// ancestor::, id()), the whole document is loaded.
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
	nav    *xmlquery.NodeNavigator // rooted at the document, when loaded whole

	steps []xpathStep // the iterator's steps, nil when not streamable
	depth int         // element depth of the streamed unit (0 = whole document)
	unit  *xmlquery.Node
	units int // units read, for where()
	root  *xmlRootWatcher
}

// errNoElement: the input holds no XML element at all.
var errNoElement = fmt.Errorf("parse XML: no XML element in the input")

func newXMLReader(in io.Reader, iterator string) (*xmlReader, error) {
	if _, err := xpath.Compile(iterator); err != nil {
		return nil, fmt.Errorf("iterator %q: %w", iterator, err)
	}
	root := &xmlRootWatcher{r: in}
	r := &xmlReader{in: root, root: root, iterator: iterator}
	r.steps, _ = splitIterator(iterator)
	return r, nil
}

func (r *xmlReader) compile(ref string) (int, error) {
	x, err := xpath.Compile(ref)
	if err != nil {
		return 0, fmt.Errorf("reference %q: %w", ref, err)
	}
	if xpathArgHazard(ref) {
		return 0, fmt.Errorf("reference %q: antchfx/xpath evaluates the function arguments that follow a filtered path ([...]) from the wrong node; use one reference per value and combine them with functions (internal/rml/README.md, XPath)", ref)
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

// streamDepth computes the element depth of the unit to stream whole (see
// xmlReader), 0 for the whole document.
func (r *xmlReader) streamDepth() int {
	n := len(r.steps)
	if n == 0 {
		return 0
	}
	d := n
	for _, ref := range r.refs {
		if up := xpathReach(ref); n+up < d {
			d = n + up
		}
	}
	for i, st := range r.steps { // step i selects elements at depth i+1
		for _, p := range st.preds {
			positional, attrOnly := predicateKind(p)
			reach := i + 1 + xpathReach(p)
			switch {
			case positional:
				// the position among siblings needs the parent whole
				d = min(d, i, reach)
			case !attrOnly:
				d = min(d, reach)
			}
		}
	}
	return max(d, 0)
}

func (r *xmlReader) each(rec func() error, bad func(string, error) error) error {
	r.depth = r.streamDepth()
	if r.depth == 0 {
		return r.eachLoaded(rec)
	}
	// Stream the units by name only: the iterator's predicates are checked
	// below, on the whole unit.
	var path strings.Builder
	for _, st := range r.steps[:r.depth] {
		path.WriteString("/" + st.test)
	}
	sp, err := xmlquery.CreateStreamParser(r.in, path.String())
	if err != nil {
		return fmt.Errorf("iterator %q: %w", r.iterator, err)
	}
	// ancestors[i]: the predicates of step i (above the unit, attributes
	// only) checked on the unit's ancestor at depth i+1.
	var ancestors []*xpath.Expr
	for _, st := range r.steps[:r.depth-1] {
		var x *xpath.Expr
		if len(st.preds) > 0 {
			if x, err = xpath.Compile("self::" + st.test + "[" + strings.Join(st.preds, "][") + "]"); err != nil {
				return fmt.Errorf("iterator %q: %w", r.iterator, err)
			}
		}
		ancestors = append(ancestors, x)
	}
	// rest selects the records inside the unit; nil when the unit is the
	// record and its step has no predicate (the usual case: no XPath).
	var rest *xpath.Expr
	if us := r.steps[r.depth-1]; r.depth < len(r.steps) || len(us.preds) > 0 {
		var b strings.Builder
		b.WriteString("self::" + us.test)
		for _, p := range us.preds {
			b.WriteString("[" + p + "]")
		}
		for _, st := range r.steps[r.depth:] {
			b.WriteString("/" + st.test)
			for _, p := range st.preds {
				b.WriteString("[" + p + "]")
			}
		}
		if rest, err = xpath.Compile(b.String()); err != nil {
			return fmt.Errorf("iterator %q: %w", r.iterator, err)
		}
	}
	var recs []*xmlquery.Node
	for {
		n, err := sp.Read()
		if err == io.EOF {
			if !r.root.seen {
				return errNoElement
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("parse XML after %s: %w", r.unitWhere(), err)
		}
		r.units++
		r.unit = n
		pruneAncestors(n)
		if !ancestorsMatch(n, ancestors) {
			continue
		}
		if rest == nil {
			r.cur = n
			if err := rec(); err != nil {
				return err
			}
			continue
		}
		recs = recs[:0]
		it := rest.Select(xmlquery.CreateXPathNavigator(n))
		for it.MoveNext() {
			if nav, ok := it.Current().(*xmlquery.NodeNavigator); ok {
				recs = append(recs, nav.Current())
			}
		}
		for _, c := range recs {
			r.cur = c
			if err := rec(); err != nil {
				return err
			}
		}
	}
}

// pruneAncestors drops what the stream parser keeps above the unit: the
// earlier siblings of each of its ancestors (earlier formations, the rest
// of earlier actions...). The parser only drops the unit and its own
// earlier siblings, so without this the tree grows with the file and the
// parser's per-element XPath match over it makes the pass quadratic. No
// reference can reach them: the unit is the highest node any reaches.
func pruneAncestors(unit *xmlquery.Node) {
	for a := unit.Parent; a != nil; a = a.Parent {
		for a.PrevSibling != nil {
			xmlquery.RemoveFromTree(a.PrevSibling)
		}
	}
}

// ancestorsMatch checks the attribute predicates of the steps above the
// unit on its ancestors.
func ancestorsMatch(unit *xmlquery.Node, checks []*xpath.Expr) bool {
	a := unit
	for i := len(checks) - 1; i >= 0; i-- {
		a = a.Parent
		if checks[i] == nil {
			continue
		}
		if a == nil || !checks[i].Select(xmlquery.CreateXPathNavigator(a)).MoveNext() {
			return false
		}
	}
	return true
}

// eachLoaded evaluates the iterator on the whole document.
func (r *xmlReader) eachLoaded(rec func() error) error {
	doc, err := xmlquery.Parse(r.in)
	if err != nil {
		return fmt.Errorf("parse XML: %w", err)
	}
	if !r.root.seen {
		return errNoElement
	}
	x, err := xpath.Compile(r.iterator)
	if err != nil {
		return fmt.Errorf("iterator %q: %w", r.iterator, err)
	}
	// Keep the navigators: they are rooted at the document, so that
	// absolute references ("/lheo/@version") work.
	var navs []*xmlquery.NodeNavigator
	it := x.Select(xmlquery.CreateXPathNavigator(doc))
	for it.MoveNext() {
		if nav, ok := it.Current().Copy().(*xmlquery.NodeNavigator); ok {
			navs = append(navs, nav)
		}
	}
	for _, nav := range navs {
		r.cur, r.nav = nav.Current(), nav
		if err := rec(); err != nil {
			return err
		}
	}
	return nil
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
	var nav xpath.NodeNavigator
	if r.nav != nil {
		nav = r.nav.Copy()
	} else {
		nav = xmlquery.CreateXPathNavigator(r.cur)
	}
	res := r.exprs[id].Evaluate(nav)
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

// where locates the current record as an XPath with positions:
// "/lheo/offres/formation[12]/action[1]/session[2]". The unit's position
// counts the units read (its earlier siblings are gone); positions below
// it are among same-name siblings.
func (r *xmlReader) where() string {
	if r.cur == nil {
		return r.iterator
	}
	var parts []string
	above := false
	for n := r.cur; n != nil && n.Type == xmlquery.ElementNode; n = n.Parent {
		name := n.Data
		if n.Prefix != "" {
			name = n.Prefix + ":" + name
		}
		switch {
		case n == r.unit:
			name += "[" + strconv.Itoa(r.units) + "]"
			above = true
		case above, n.Parent == nil || n.Parent.Type != xmlquery.ElementNode:
			// above the unit (earlier siblings gone), or the document element
		default:
			k := 1
			for s := n.PrevSibling; s != nil; s = s.PrevSibling {
				if s.Type == xmlquery.ElementNode && s.Data == n.Data && s.Prefix == n.Prefix {
					k++
				}
			}
			name += "[" + strconv.Itoa(k) + "]"
		}
		parts = append(parts, name)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString("/" + parts[i])
	}
	return b.String()
}

// unitWhere locates the parse position for errors: the last unit read.
func (r *xmlReader) unitWhere() string {
	var b strings.Builder
	for _, st := range r.steps[:r.depth] {
		b.WriteString("/" + st.test)
	}
	return b.String() + "[" + strconv.Itoa(r.units) + "]"
}

func (r *xmlReader) whereField(ref string) string {
	if ref == "" || strings.Contains(ref, ",") { // several references (template, function)
		return r.where()
	}
	return r.where() + "/" + ref
}
