package rml

import (
	"fmt"
	"io"
)

// jsonValidator checks the JSON syntax of the bytes read through it, as
// they stream to the parser. ojg's tokenizer is lenient: it takes "0,",
// {"k":}, several top-level values, and stops quietly where a cut file
// ends; an input the engine accepts must be one complete JSON value
// (encoding/json's grammar). The first syntax error, or an end of input
// before the value is complete, is returned by Read in place of the data.
type jsonValidator struct {
	r     io.Reader
	off   int64  // bytes checked
	stack []byte // open containers: '{' or '['
	st    jstate
	key   bool // the string being read is an object key
	lit   string
	hex   int
	err   error
}

type jstate uint8

const (
	jValue        jstate = iota // a value is expected
	jValueOrClose               // after '[': a value or ']'
	jKeyOrClose                 // after '{': a key or '}'
	jKey                        // after ',' in an object: a key
	jColon                      // after a key
	jAfter                      // after a value: ',' or a closer (or the end at top level)
	jString
	jEscape
	jUnicode
	jLiteral // true, false, null
	jMinus   // number states
	jZero
	jInt
	jDot
	jFrac
	jE
	jESign
	jExp
	jDone // the top-level value is complete: only white space may follow
)

func (v *jsonValidator) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.r.Read(p)
	for i := 0; i < n; i++ {
		if v.st == jString {
			// Most bytes are inside strings: skip the plain ones in a tight loop.
			j := i
			for j < n && !strSpecial[p[j]] {
				j++
			}
			v.off += int64(j - i)
			if i = j; i == n {
				break
			}
		}
		if e := v.step(p[i]); e != nil {
			v.err = fmt.Errorf("JSON syntax error at byte %d: %s", v.off, e)
			return i, v.err
		}
		v.off++
	}
	if err == io.EOF {
		if e := v.end(); e != nil {
			v.err = e
			return n, e
		}
	}
	return n, err
}

// strSpecial marks the bytes that end or escape a string, or may not be in one.
var strSpecial = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (v *jsonValidator) endNumber() bool {
	switch v.st {
	case jZero, jInt, jFrac, jExp:
		return true
	}
	return false
}

// afterValue is the state once a value is complete.
func (v *jsonValidator) afterValue() {
	if len(v.stack) == 0 {
		v.st = jDone
		return
	}
	v.st = jAfter
}

func (v *jsonValidator) step(c byte) error {
	switch v.st {
	case jString:
		switch {
		case c == '"':
			if v.key {
				v.st = jColon
			} else {
				v.afterValue()
			}
		case c == '\\':
			v.st = jEscape
		case c < 0x20:
			return fmt.Errorf("control character 0x%02x in a string", c)
		}
		return nil
	case jEscape:
		switch c {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			v.st = jString
		case 'u':
			v.st, v.hex = jUnicode, 0
		default:
			return fmt.Errorf("invalid escape \\%c", c)
		}
		return nil
	case jUnicode:
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return fmt.Errorf("invalid \\u escape")
		}
		if v.hex++; v.hex == 4 {
			v.st = jString
		}
		return nil
	case jLiteral:
		if c != v.lit[0] {
			return fmt.Errorf("invalid literal")
		}
		if v.lit = v.lit[1:]; v.lit == "" {
			v.afterValue()
		}
		return nil
	case jMinus:
		switch {
		case c == '0':
			v.st = jZero
		case c >= '1' && c <= '9':
			v.st = jInt
		default:
			return fmt.Errorf("invalid number")
		}
		return nil
	case jZero, jInt, jFrac, jExp:
		switch {
		case c >= '0' && c <= '9' && v.st != jZero:
			return nil
		case c == '.' && (v.st == jZero || v.st == jInt):
			v.st = jDot
			return nil
		case (c == 'e' || c == 'E') && v.st != jExp:
			v.st = jE
			return nil
		}
		v.afterValue()
		return v.step(c) // the byte after the number
	case jDot:
		if c < '0' || c > '9' {
			return fmt.Errorf("invalid number")
		}
		v.st = jFrac
		return nil
	case jE:
		switch {
		case c == '+' || c == '-':
			v.st = jESign
		case c >= '0' && c <= '9':
			v.st = jExp
		default:
			return fmt.Errorf("invalid number")
		}
		return nil
	case jESign:
		if c < '0' || c > '9' {
			return fmt.Errorf("invalid number")
		}
		v.st = jExp
		return nil
	}
	if isSpace(c) {
		return nil
	}
	switch v.st {
	case jDone:
		return fmt.Errorf("%q after the end of the JSON value", c)
	case jColon:
		if c != ':' {
			return fmt.Errorf("%q where ':' is expected", c)
		}
		v.st = jValue
		return nil
	case jKeyOrClose, jKey:
		switch {
		case c == '"':
			v.st, v.key = jString, true
		case c == '}' && v.st == jKeyOrClose:
			v.stack = v.stack[:len(v.stack)-1]
			v.afterValue()
		default:
			return fmt.Errorf("%q where an object key is expected", c)
		}
		return nil
	case jAfter:
		top := v.stack[len(v.stack)-1]
		switch {
		case c == ',' && top == '{':
			v.st = jKey
		case c == ',':
			v.st = jValue
		case c == '}' && top == '{', c == ']' && top == '[':
			v.stack = v.stack[:len(v.stack)-1]
			v.afterValue()
		default:
			return fmt.Errorf("%q where ',' or a closing bracket is expected", c)
		}
		return nil
	}
	// jValue, jValueOrClose
	switch {
	case c == ']' && v.st == jValueOrClose:
		v.stack = v.stack[:len(v.stack)-1]
		v.afterValue()
	case c == '{':
		v.stack = append(v.stack, '{')
		v.st = jKeyOrClose
	case c == '[':
		v.stack = append(v.stack, '[')
		v.st = jValueOrClose
	case c == '"':
		v.st, v.key = jString, false
	case c == 't':
		v.st, v.lit = jLiteral, "rue"
	case c == 'f':
		v.st, v.lit = jLiteral, "alse"
	case c == 'n':
		v.st, v.lit = jLiteral, "ull"
	case c == '-':
		v.st = jMinus
	case c == '0':
		v.st = jZero
	case c >= '1' && c <= '9':
		v.st = jInt
	default:
		return fmt.Errorf("%q where a value is expected", c)
	}
	return nil
}

// end checks the input ended after a complete value.
func (v *jsonValidator) end() error {
	if len(v.stack) == 0 && v.endNumber() {
		v.st = jDone
	}
	switch {
	case v.st == jDone:
		return nil
	case len(v.stack) > 0:
		return fmt.Errorf("the input ends before the closing %s (at byte %d): the file is cut", closer(v.stack[0] == '['), v.off)
	case v.off == 0 || v.st == jValue:
		return fmt.Errorf("no JSON value in the input")
	}
	return fmt.Errorf("the input ends inside a value (at byte %d): the file is cut", v.off)
}
