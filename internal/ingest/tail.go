package ingest

import (
	"errors"
	"io"
	"os"
	"sync"
)

// tail lets the load read the temporary file while the mapping still writes it, up to
// what has been released: the end of the last batch of records that passed the
// record-level checks. A record that breaks a shape is never released, nor anything
// after it, until the verdict (released when the records could not decide and the
// loaded graph decides; aborted otherwise): nothing that failed validation is sent.
// On two cores the mapping then costs what it costs beside the load, not before it.
type tail struct {
	mu       sync.Mutex
	cond     *sync.Cond
	released int64
	done     bool
	err      error
}

func newTail() *tail {
	t := &tail{}
	t.cond = sync.NewCond(&t.mu)
	return t
}

// release lets the reader go up to byte n of the file.
func (t *tail) release(n int64) {
	t.mu.Lock()
	if n > t.released {
		t.released = n
	}
	t.mu.Unlock()
	t.cond.Broadcast()
}

// finish says the file is complete at byte n: the reader ends there.
func (t *tail) finish(n int64) {
	t.mu.Lock()
	if n > t.released {
		t.released = n
	}
	t.done = true
	t.mu.Unlock()
	t.cond.Broadcast()
}

// abort makes the reader fail with err (the load request is then abandoned).
func (t *tail) abort(err error) {
	t.mu.Lock()
	if t.err == nil {
		t.err = err
	}
	t.mu.Unlock()
	t.cond.Broadcast()
}

// errTailAborted is what the load reads when the import stops before the end.
var errTailAborted = errors.New("import stopped while loading")

// follower reads the file as the tail releases it.
type follower struct {
	f   *os.File
	t   *tail
	off int64
}

func (fr *follower) Read(p []byte) (int, error) {
	t := fr.t
	t.mu.Lock()
	for fr.off >= t.released && !t.done && t.err == nil {
		t.cond.Wait()
	}
	limit, done, err := t.released, t.done, t.err
	t.mu.Unlock()
	if err != nil {
		return 0, err
	}
	if fr.off >= limit {
		if done {
			return 0, io.EOF
		}
		return 0, nil
	}
	if int64(len(p)) > limit-fr.off {
		p = p[:limit-fr.off]
	}
	n, err := fr.f.ReadAt(p, fr.off)
	fr.off += int64(n)
	if errors.Is(err, io.EOF) && n > 0 {
		err = nil
	}
	return n, err
}

// countingWriter counts the bytes written through it: the file offset the tail may
// release once they are flushed.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
