package rml

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file answers one question about an XPath expression: how far above
// its context node can it look? The XML reader streams the iterated
// elements, and an element's later siblings and its ancestors' later
// children are not parsed yet when the element ends. So the reader streams
// the shallowest ancestor any reference reaches, whole, and evaluates the
// iterator inside it. The analysis is conservative: when in doubt it
// answers "the whole document" (reachRoot), which is slower but correct.

// reachRoot means the expression may read anything in the document
// (absolute path, ancestor/preceding/following axes, id()).
const reachRoot = -1 << 20

// xpathReach returns the minimum depth, relative to the context node (0),
// whose subtree the expression reads whole: 0 for "the context node and
// below", -1 when it reads the parent's subtree ("../x", siblings), and so
// on, or reachRoot.
func xpathReach(expr string) int {
	toks := xpathTokens(expr)
	type frame struct {
		kind    byte // 'T' top, '[' predicate, 'f' function arguments, '(' group
		base    int  // depth of the context node of paths starting in this frame
		endMin  int  // group: minimum depth at which its paths ended
		hasPath bool
	}
	stack := []frame{{kind: 'T'}}
	low := 0
	cur := 0            // depth of the last step
	start := true       // the next token starts a new path (relative to base)
	afterSlash := false // the next token is a step relative to cur
	lowTo := func(d int) {
		if d < low {
			low = d
		}
	}
	endPath := func() {
		f := &stack[len(stack)-1]
		if f.kind == '(' {
			if !f.hasPath || cur < f.endMin {
				f.endMin = cur
			}
			f.hasPath = true
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		top := &stack[len(stack)-1]
		stepCtx := top.base
		if afterSlash {
			stepCtx = cur
		}
		isStep := start || afterSlash
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		switch {
		case t == "/" || t == "//":
			if start {
				return reachRoot // absolute path
			}
			// "//" (descendant-or-self): the next step is at least one
			// level below cur, which is the conservative choice.
			afterSlash, start = true, false
			continue
		case t == "[":
			stack = append(stack, frame{kind: '[', base: cur})
			start, afterSlash = true, false
			continue
		case t == "]" || t == ")":
			switch {
			case t == ")" && top.kind == '(':
				endPath()
				cur = top.endMin
			default:
				// "]": back to the step the predicate filters; ")" of a
				// function: its value is not below the context node.
				cur = top.base
			}
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			start, afterSlash = false, false
			continue
		case t == "(":
			// a group at the start of a path: "(a/b)[1]/../c"
			stack = append(stack, frame{kind: '(', base: stepCtx})
			start, afterSlash = true, false
			continue
		case t == ",":
			endPath()
			start, afterSlash = true, false
			continue
		case t == "@":
			// attribute of the step context: no deeper, no higher
			if i+1 < len(toks) {
				i++
			}
			cur = stepCtx
			start, afterSlash = false, false
			continue
		case t == "..":
			cur = stepCtx - 1
			lowTo(cur)
			start, afterSlash = false, false
			continue
		case t == ".":
			cur = stepCtx
			start, afterSlash = false, false
			continue
		case t == "$":
			return reachRoot // variables: unknown
		}
		if isStep && isXPathName(t) {
			if next == "::" && i+2 < len(toks) {
				switch strings.TrimSpace(t) {
				case "child", "descendant", "descendant-or-self":
					cur = stepCtx + 1
				case "self", "attribute", "namespace":
					cur = stepCtx
				case "parent":
					cur = stepCtx - 1
					lowTo(cur)
				case "following-sibling", "preceding-sibling":
					cur = stepCtx
					lowTo(stepCtx - 1)
				default: // ancestor, ancestor-or-self, preceding, following
					return reachRoot
				}
				i += 2 // axis, "::", node test
				if i+1 < len(toks) && toks[i+1] == "(" && isNodeType(toks[i]) {
					i += 2 // node()
				}
				start, afterSlash = false, false
				continue
			}
			if next == "(" {
				if isNodeType(t) { // text(), node(): a child step
					cur = stepCtx + 1
					i += 2
					start, afterSlash = false, false
					continue
				}
				if t == "id" {
					return reachRoot
				}
				// A function call: its arguments are relative to the same
				// context as the path would have been.
				stack = append(stack, frame{kind: 'f', base: stepCtx})
				i++
				start, afterSlash = true, false
				continue
			}
			cur = stepCtx + 1 // a child element step (name, prefix:name, *)
			start, afterSlash = false, false
			continue
		}
		if isStep && t == "*" {
			cur = stepCtx + 1
			start, afterSlash = false, false
			continue
		}
		// An operator, a literal or a number ends the path.
		if !start {
			endPath()
		}
		switch {
		case t[0] == '"' || t[0] == '\'' || t[0] >= '0' && t[0] <= '9':
			start, afterSlash = false, false
		default: // operator (or a name used as one: and, or, div, mod)
			start, afterSlash = true, false
		}
	}
	return low
}

func isNodeType(s string) bool {
	switch s {
	case "text", "node", "comment", "processing-instruction":
		return true
	}
	return false
}

func isXPathName(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r)
}

// xpathTokens splits an XPath 1.0 expression into tokens: names (QNames,
// with '-' and '.' inside), literals, numbers and punctuation ("..", "//",
// "::", "!=", "<=", ">=", one-character others). It never fails: the
// expression has been compiled already.
func xpathTokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				out = append(out, s[i:])
				return out
			}
			out = append(out, s[i:i+j+2])
			i += j + 2
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			out = append(out, s[i:j])
			i = j
		case c == '.' || c == '/' || c == ':':
			if i+1 < len(s) && s[i+1] == c {
				out = append(out, s[i:i+2])
				i += 2
			} else {
				out = append(out, s[i:i+1])
				i++
			}
		case c == '!' || c == '<' || c == '>':
			if i+1 < len(s) && s[i+1] == '=' {
				out = append(out, s[i:i+2])
				i += 2
			} else {
				out = append(out, s[i:i+1])
				i++
			}
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == '_' || unicode.IsLetter(r) {
				j := i + size
				for j < len(s) {
					r, size := utf8.DecodeRuneInString(s[j:])
					// ':' belongs to a QName (prefix:local, prefix:*) but not "::"
					if r == ':' && j+1 < len(s) && s[j+1] != ':' && (s[j+1] == '*' || isXPathName(s[j+1:])) {
						j += size
						if s[j] == '*' {
							j++
							break
						}
						continue
					}
					if r == '_' || r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) {
						j += size
						continue
					}
					break
				}
				out = append(out, s[i:j])
				i = j
				continue
			}
			out = append(out, s[i:i+size])
			i += size
		}
	}
	return out
}

// xpathStep is one location step of an absolute iterator.
type xpathStep struct {
	test  string   // name test: "name", "p:name", "*"
	preds []string // predicate expressions, without brackets
}

// splitIterator splits an absolute iterator made of child steps
// ("/a/b[@x='1']/c") into steps. ok is false for anything else ("//x",
// unions, axes, functions): such iterators are evaluated on the whole
// document.
func splitIterator(it string) (steps []xpathStep, ok bool) {
	it = strings.TrimSpace(it)
	if !strings.HasPrefix(it, "/") || strings.HasPrefix(it, "//") {
		return nil, false
	}
	i := 1
	for i <= len(it) {
		j := i
		for j < len(it) && it[j] != '/' && it[j] != '[' {
			j++
		}
		test := strings.TrimSpace(it[i:j])
		if test == "" || test != "*" && (!isXPathName(test) || strings.Contains(test, "::") || strings.ContainsAny(test, "()|@ ")) {
			return nil, false
		}
		st := xpathStep{test: test}
		for j < len(it) && it[j] == '[' {
			end := matchBracket(it, j)
			if end < 0 {
				return nil, false
			}
			st.preds = append(st.preds, it[j+1:end])
			j = end + 1
		}
		steps = append(steps, st)
		if j == len(it) {
			return steps, true
		}
		if it[j] != '/' || j+1 < len(it) && it[j+1] == '/' {
			return nil, false
		}
		i = j + 1
	}
	return nil, false
}

// matchBracket returns the index of the ']' closing the '[' at i, skipping
// literals and nested brackets, or -1.
func matchBracket(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '"', '\'':
			k := strings.IndexByte(s[j+1:], s[j])
			if k < 0 {
				return -1
			}
			j += k + 1
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// predicateKind classifies an iterator predicate for the streaming level:
// positional ones ("[2]", "[last()]", "[position() > 1]") need the
// element's siblings; attribute-only ones ("[@type='x']") need nothing
// beyond the element's start tag.
func predicateKind(p string) (positional, attrOnly bool) {
	toks := xpathTokens(p)
	if len(toks) == 1 && toks[0][0] >= '0' && toks[0][0] <= '9' {
		return true, false
	}
	attrOnly = true
	for i, t := range toks {
		if t == "position" || t == "last" {
			if i+1 < len(toks) && toks[i+1] == "(" {
				return true, false
			}
		}
		if !isXPathName(t) && t != "." && t != ".." && t != "*" && t != "/" && t != "//" {
			continue
		}
		if i > 0 && toks[i-1] == "@" {
			continue
		}
		switch t {
		case "and", "or", "div", "mod":
			continue
		case "not", "contains", "starts-with", "ends-with", "concat", "translate", "substring",
			"substring-before", "substring-after", "number", "boolean", "lower-case", "upper-case":
			// with arguments, these read only what their arguments read
			if i+2 < len(toks) && toks[i+1] == "(" && toks[i+2] != ")" {
				continue
			}
		case "true", "false":
			continue
		}
		attrOnly = false
	}
	return false, attrOnly
}

// xpathArgHazard reports whether expr hits a bug of antchfx/xpath (v1.3.9):
// evaluating a filtered path ("a[1]", "(a/b)[1]", "a[@x='y']") moves the
// context node of the whole evaluation to the last node the filter tried,
// so the function arguments that follow it are evaluated from the wrong
// node: concat(count(a[1]), '-', @id) reads @id of an "a", and
// substring(sum(a[1]/b), 1, 100*count(a[1]/b)) gives "". Binary operators
// are not affected. Such references are refused when the mapping is bound,
// rather than silently producing wrong values.
func xpathArgHazard(expr string) bool {
	toks := xpathTokens(expr)
	type frame struct {
		fn              bool // a function call (else a group or predicate)
		filtered, armed bool // a filter was seen in this call / in an earlier argument
	}
	var stack []frame
	for i, t := range toks {
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		prev := ""
		if i > 0 {
			prev = toks[i-1]
		}
		switch {
		case t == "[":
			for j := range stack {
				stack[j].filtered = true
			}
			stack = append(stack, frame{})
			continue
		case t == "(":
			stack = append(stack, frame{fn: isXPathName(prev) && !isNodeType(prev)})
			continue
		case t == "]" || t == ")":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			continue
		case t == ",":
			if n := len(stack); n > 0 && stack[n-1].fn {
				stack[n-1].armed = stack[n-1].armed || stack[n-1].filtered
			}
			continue
		}
		step := t == "@" || t == "." || t == ".." ||
			isXPathName(t) && next != "(" && prev != "@" && prev != "::" && t != "and" && t != "or" && t != "div" && t != "mod"
		if !step || prev == "/" || prev == "//" { // a step continuing a path is not a new path
			continue
		}
		for _, f := range stack {
			if f.armed {
				return true
			}
		}
	}
	return false
}
