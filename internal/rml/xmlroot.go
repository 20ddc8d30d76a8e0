package rml

import "io"

// xmlRootWatcher notes whether the bytes read through it hold a start tag
// outside comments, processing instructions and declarations: the XML
// parsers take an input without any element ("0", a lone comment) as an
// empty document, which must not pass for a complete one. Once the first
// start tag is seen it only passes bytes through.
type xmlRootWatcher struct {
	r      io.Reader
	seen   bool
	st     uint8 // 0 text, 1 after '<', 2 comment, 3 PI, 4 declaration, 5 after "<!"
	tail   [3]byte
	depth  int  // brackets in a declaration (DOCTYPE internal subset)
	quote  byte // the quote a declaration's literal is open with, 0 outside one
	dashes int
}

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
	case 0:
		if c == '<' {
			w.st = 1
		}
	case 1:
		switch {
		case c == '?':
			w.st = 3
		case c == '!':
			w.st, w.dashes = 5, 0
		case c == '/':
			w.st = 0
		case c == '_' || c == ':' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0x80:
			return true
		default:
			w.st = 0
		}
	case 5: // "<!": a comment if "--" follows, else a declaration
		if c == '-' {
			if w.dashes++; w.dashes == 2 {
				w.st, w.tail = 2, [3]byte{}
			}
			return false
		}
		w.st, w.depth, w.quote = 4, 0, 0
		return w.step4(c)
	case 2:
		if w.tail == [3]byte{'-', '-', '>'} {
			w.st = 0
		}
	case 3:
		if w.tail[1] == '?' && c == '>' {
			w.st = 0
		}
	case 4:
		return w.step4(c)
	}
	return false
}

// step4 scans a declaration. A quoted literal in it may hold '>' or '<' (encoding/xml
// reads `<!X "a>b">` as one directive), so quotes are followed: without that, a '<'
// inside a literal was taken for a start tag and a document with no element passed.
func (w *xmlRootWatcher) step4(c byte) bool {
	if w.quote != 0 {
		if c == w.quote {
			w.quote = 0
		}
		return false
	}
	switch c {
	case '"', '\'':
		w.quote = c
	case '[':
		w.depth++
	case ']':
		w.depth--
	case '>':
		if w.depth <= 0 {
			w.st = 0
		}
	}
	return false
}
