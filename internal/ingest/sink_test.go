package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/vocab"
)

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestPipelinedSink: with the worker on, the quads are written in order, each record
// reaches the consumers whole and in order, with where it came from; a failing writer
// stops the mapping and its error is the one reported.
func TestPipelinedSink(t *testing.T) {
	src := Source{Name: "t", Graph: vocab.Graph("t")}
	feed := func(s *stagingSink, records int) error {
		for i := range records {
			for j := range 3 {
				if err := s.Quad(ntriples.NewIRI(fmt.Sprintf("urn:s%d", i)), ntriples.NewIRI("urn:p"),
					ntriples.NewLiteral(fmt.Sprint(j)), ntriples.Term{}); err != nil {
					return err
				}
			}
			if err := s.EndRecord("f.json", fmt.Sprintf("/%d", i)); err != nil {
				return err
			}
		}
		return nil
	}
	t.Run("order", func(t *testing.T) {
		var out bytes.Buffer
		s := newStagingSink(&out, src, "r1", t.TempDir())
		var seen []string
		s.validate = func(where string, triples []ntriples.Triple) {
			seen = append(seen, where+" "+triples[0].S.Value+fmt.Sprint(len(triples)))
		}
		s.startPipeline()
		err := feed(s, 1000)
		if perr := s.finishPipeline(); err != nil || perr != nil {
			t.Fatal(err, perr)
		}
		if err := s.flush(); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 3000 || !strings.HasPrefix(lines[0], "<urn:s0> <urn:p> \"0\"") || !strings.HasPrefix(lines[2999], "<urn:s999> <urn:p> \"2\"") {
			t.Fatalf("%d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
		}
		if len(seen) != 1000 || seen[0] != "f.json:/0 urn:s03" || seen[999] != "f.json:/999 urn:s9993" {
			t.Fatalf("records seen %d: %v … %v", len(seen), seen[:1], seen[len(seen)-1:])
		}
	})
	t.Run("writer fails", func(t *testing.T) {
		s := newStagingSink(&failingWriter{after: 1 << 16}, src, "r2", t.TempDir())
		s.startPipeline()
		err := feed(s, 100_000)
		perr := s.finishPipeline()
		if err == nil || !errors.Is(err, errPipelineStopped) {
			t.Errorf("mapping went on after the writer failed: %v", err)
		}
		if perr == nil || !strings.Contains(perr.Error(), "disk full") {
			t.Errorf("finish = %v, want the writer's error", perr)
		}
	})
}

// TestTailHoldsBackFromTheFirstViolation: the load reads only whole batches of records
// that passed their checks; from the batch holding the first violation on, nothing is
// released, and aborting ends the reader with an error.
func TestTailHoldsBackFromTheFirstViolation(t *testing.T) {
	src := Source{Name: "t", Graph: vocab.Graph("t")}
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "x.nq"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := newStagingSink(nil, src, "r3", dir)
	s.reset(f)
	records := 0
	s.validate = func(where string, triples []ntriples.Triple) { records++ }
	s.violated = func() bool { return records > 600 } // record 601 breaks a shape
	s.tail = newTail()
	s.startPipeline()
	for i := range 1000 {
		if err := s.Quad(ntriples.NewIRI(fmt.Sprintf("urn:s%d", i)), ntriples.NewIRI("urn:p"), ntriples.NewLiteral("v"), ntriples.Term{}); err != nil {
			t.Fatal(err)
		}
		if err := s.EndRecord("f.json", fmt.Sprintf("/%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.finishPipeline(); err != nil {
		t.Fatal(err)
	}
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	released := make([]byte, s.tail.released)
	if _, err := io.ReadFull(&follower{f: r, t: s.tail}, released); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(released)), "\n")
	// batches of 256 records: the first two passed, the third holds record 601
	if len(lines) != 512 || !strings.HasPrefix(lines[511], "<urn:s511>") {
		t.Fatalf("released %d quads (last %q), want the 512 of the first two batches", len(lines), lines[len(lines)-1])
	}
	// the reader waits at the limit; an abort ends it with the error
	ended := make(chan error, 1)
	go func() {
		_, err := (&follower{f: r, t: s.tail, off: s.tail.released}).Read(make([]byte, 10))
		ended <- err
	}()
	s.tail.abort(errTailAborted)
	if err := <-ended; !errors.Is(err, errTailAborted) {
		t.Fatalf("reader ended with %v, want the abort", err)
	}
}
