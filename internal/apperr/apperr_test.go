package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindOf(t *testing.T) {
	base := Field("parse", "metiers[0]", "not a ROME code: %q", "ZZ")
	wrapped := fmt.Errorf("outer: %w", base)
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"Direct", base, Invalid},
		{"Wrapped", wrapped, Invalid},
		{"Plain", errors.New("boom"), Internal},
		{"Unavailable", Wrap("store.Select", Unavailable, errors.New("refused"), "store down"), Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KindOf(tt.err); got != tt.want {
				t.Fatalf("KindOf = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPublicHidesInternalDetail(t *testing.T) {
	msg, field := Public(errors.New("password=secret"))
	if msg != "internal error" || field != "" {
		t.Fatalf("Public leaked detail: %q %q", msg, field)
	}
	msg, field = Public(Wrap("x", Invalid, errors.New("cause"), "bad zone"))
	if msg != "bad zone" || field != "" {
		t.Fatalf("Public = %q %q", msg, field)
	}
}

func TestErrorString(t *testing.T) {
	e := Field("import rome4", "file.csv:12: code_rome", "empty value")
	if got, want := e.Error(), "import rome4: file.csv:12: code_rome: empty value"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}
