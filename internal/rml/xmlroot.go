package rml

import "io"

// xmlRootWatcher notes whether the bytes read through it hold a start tag
// outside comments, processing instructions, CDATA sections and declarations:
// the XML parsers take an input without any element ("0", a lone comment) as
// an empty document, which must not pass for a complete one. Once the first
// start tag is seen it only passes bytes through.
//
// It follows encoding/xml's tokenizer (what xmlquery reads with) where the two
// could disagree on what is markup: a declaration ("<!DOCTYPE …>") nests on '<'
// and '>' outside quoted literals, may hold comments, and its first byte is
// taken as is. FuzzXML found both ways of getting it wrong: `<!0"><A">` (a '<'
// inside a quoted literal) and `<!><A>>` (a '>' right after "<!" does not close
// the declaration: the whole input is one directive, no element).
type xmlRootWatcher struct {
	r     io.Reader
	seen  bool
	st    uint8 // see the states below
	tail  [3]byte
	depth int  // '<' nesting inside a declaration
	quote byte // the quote a declaration's literal is open with, 0 outside one
	lt    int  // inside a declaration, after '<': how much of "!--" follows
}

// States of xmlRootWatcher.
const (
	xsText     = iota // character data
	xsOpen            // after '<'
	xsComment         // in <!-- … -->
	xsPI              // in <? … ?>
	xsDecl            // in a declaration <!… >
	xsBang            // after "<!"
	xsBangDash        // after "<!-"
	xsCDATA           // in <![CDATA[ … ]]>
	xsDeclCmt         // in a comment inside a declaration
)

func (w *xmlRootWatcher) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if !w.seen {
		for _, c := range p[:n] {
			if w.step(c) {
				w.seen = true
				break
			}
		}
	}
	return n, err
}

// step advances the scanner and reports a start tag.
func (w *xmlRootWatcher) step(c byte) bool {
	w.tail[0], w.tail[1], w.tail[2] = w.tail[1], w.tail[2], c
	switch w.st {
	case xsText:
		if c == '<' {
			w.st = xsOpen
		}
	case xsOpen:
		switch {
		case c == '?':
			w.st = xsPI
		case c == '!':
			w.st = xsBang
		case c == '/':
			w.st = xsText
		case c == '_' || c == ':' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0x80:
			return true
		default:
			w.st = xsText
		}
	case xsBang:
		switch c {
		case '-':
			w.st = xsBangDash
		case '[':
			w.st, w.tail = xsCDATA, [3]byte{}
		default:
			// a declaration; encoding/xml takes this first byte as is, even '>'
			w.st, w.depth, w.quote, w.lt = xsDecl, 0, 0, 0
		}
	case xsBangDash:
		// "<!--" opens a comment; anything else is a syntax error the parser reports
		w.st, w.tail = xsComment, [3]byte{}
		if c != '-' {
			w.st = xsText
		}
	case xsComment:
		if w.tail == [3]byte{'-', '-', '>'} {
			w.st = xsText
		}
	case xsPI:
		if w.tail[1] == '?' && c == '>' {
			w.st = xsText
		}
	case xsCDATA:
		if w.tail == [3]byte{']', ']', '>'} {
			w.st = xsText
		}
	case xsDeclCmt:
		if w.tail == [3]byte{'-', '-', '>'} {
			w.st = xsDecl
		}
	case xsDecl:
		w.stepDecl(c)
	}
	return false
}

// stepDecl scans a declaration as encoding/xml does.
func (w *xmlRootWatcher) stepDecl(c byte) {
	if w.lt > 0 { // after '<': "<!--" opens a comment, anything else nests
		const s = "!--"
		if c == s[w.lt-1] {
			if w.lt++; w.lt > len(s) {
				w.lt, w.st, w.tail = 0, xsDeclCmt, [3]byte{}
			}
			return
		}
		w.lt = 0
		w.depth++
		w.declByte(c) // this byte is not a terminator, whatever it is
		return
	}
	if w.quote == 0 && c == '>' && w.depth == 0 {
		w.st = xsText
		return
	}
	w.declByte(c)
}

func (w *xmlRootWatcher) declByte(c byte) {
	switch {
	case c == w.quote:
		w.quote = 0
	case w.quote != 0:
	case c == '"' || c == '\'':
		w.quote = c
	case c == '>':
		w.depth--
	case c == '<':
		w.lt = 1
	}
}
