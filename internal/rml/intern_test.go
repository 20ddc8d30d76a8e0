package rml

import (
	"strconv"
	"testing"
	"unsafe"
)

func TestInterner(t *testing.T) {
	t.Run("repeated values share one string", func(t *testing.T) {
		in := &interner{}
		a := in.get([]byte("http://ex.org/rome/M1805"))
		b := in.get([]byte("http://ex.org/rome/M1805"))
		c := in.get([]byte("http://ex.org/rome/M1806"))
		if a != "http://ex.org/rome/M1805" || b != a || c != "http://ex.org/rome/M1806" {
			t.Fatalf("got %q %q %q", a, b, c)
		}
		if unsafe.StringData(a) != unsafe.StringData(b) {
			t.Error("the second lookup allocated a new string")
		}
	})
	t.Run("the returned string does not alias the buffer", func(t *testing.T) {
		in := &interner{}
		buf := []byte("http://ex.org/a")
		s := in.get(buf)
		buf[len(buf)-1] = 'b'
		if s != "http://ex.org/a" || in.get(buf) != "http://ex.org/b" {
			t.Fatalf("got %q", s)
		}
	})
	t.Run("new values every time turn it off", func(t *testing.T) {
		in := &interner{}
		for i := range internWindow {
			if got := in.get([]byte(strconv.Itoa(i))); got != strconv.Itoa(i) {
				t.Fatalf("got %q, want %d", got, i)
			}
		}
		if !in.off || in.m != nil {
			t.Fatalf("off = %v, %d entries kept", in.off, len(in.m))
		}
		if got := in.get([]byte("x")); got != "x" {
			t.Fatalf("off: got %q", got)
		}
	})
	t.Run("few values keep it on, bounded", func(t *testing.T) {
		in := &interner{}
		for i := range 3 * internWindow {
			v := strconv.Itoa(i % 100)
			if got := in.get([]byte(v)); got != v {
				t.Fatalf("got %q, want %q", got, v)
			}
		}
		if in.off || len(in.m) != 100 {
			t.Fatalf("off = %v, %d entries, want on with 100", in.off, len(in.m))
		}
		for i := range internMax + 10 {
			in.get([]byte("v" + strconv.Itoa(i)))
			in.get([]byte("1")) // hits keep it on
		}
		if len(in.m) > internMax {
			t.Fatalf("%d entries, bound %d", len(in.m), internMax)
		}
	})
	t.Run("nil allocates", func(t *testing.T) {
		var in *interner
		if got := in.get([]byte("a")); got != "a" {
			t.Fatalf("got %q", got)
		}
	})
}
