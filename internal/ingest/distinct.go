package ingest

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// distinctCounter counts the distinct quads of each target graph, what the store holds
// once they are loaded (it keeps a triple once however often it is sent), in flat
// memory whatever the input: it keeps a 64-bit hash per quad in a buffer of runLen
// entries, sorts and spills each full buffer to a run file, and counts by merging the
// sorted runs. A map of every hash (the first version) cost 378 MB at six months of
// offers; this holds at most one buffer, 4 MB. A hash collision can only make the
// count check fail (fewer distinct than the store holds), never pass a short load.
type distinctCounter struct {
	dir    string
	run    string // the import run, in the run files' names (gc removes those of dead runs)
	runLen int
	buf    []hashEntry
	runs   []string
}

type hashEntry struct {
	target uint32 // index of the target graph
	h      uint64
}

func cmpEntry(a, b hashEntry) int {
	switch {
	case a.target != b.target:
		return int(a.target) - int(b.target)
	case a.h < b.h:
		return -1
	case a.h > b.h:
		return 1
	}
	return 0
}

// defaultRunLen is the number of hashes kept in memory before a run is spilled: 4 MB.
const defaultRunLen = 1 << 18

func newDistinctCounter(dir, run string) *distinctCounter {
	return &distinctCounter{dir: dir, run: run, runLen: defaultRunLen}
}

func (d *distinctCounter) add(target int, h uint64) error {
	if d.buf == nil {
		d.buf = make([]hashEntry, 0, min(d.runLen, 1<<16))
	}
	d.buf = append(d.buf, hashEntry{uint32(target), h})
	if len(d.buf) >= d.runLen {
		return d.spill()
	}
	return nil
}

const entrySize = 12

func (d *distinctCounter) spill() error {
	slices.SortFunc(d.buf, cmpEntry)
	f, err := os.Create(filepath.Join(d.dir, fmt.Sprintf("%shashes-%d-%s.bin", TempFilePrefix, len(d.runs), d.run)))
	if err != nil {
		return fmt.Errorf("distinct count: %w", err)
	}
	d.runs = append(d.runs, f.Name())
	w := bufio.NewWriterSize(f, 1<<16)
	var b [entrySize]byte
	var prev hashEntry
	for i, e := range d.buf {
		if i > 0 && e == prev {
			continue
		}
		prev = e
		binary.LittleEndian.PutUint32(b[:4], e.target)
		binary.LittleEndian.PutUint64(b[4:], e.h)
		if _, err := w.Write(b[:]); err != nil {
			f.Close()
			return fmt.Errorf("distinct count: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("distinct count: %w", err)
	}
	d.buf = d.buf[:0]
	return f.Close()
}

// counts returns the number of distinct hashes per target index, and removes the runs.
func (d *distinctCounter) counts() (map[int]int64, error) {
	defer d.close()
	out := map[int]int64{}
	if len(d.runs) == 0 {
		slices.SortFunc(d.buf, cmpEntry)
		for i, e := range d.buf {
			if i == 0 || e != d.buf[i-1] {
				out[int(e.target)]++
			}
		}
		d.buf = nil
		return out, nil
	}
	if len(d.buf) > 0 {
		if err := d.spill(); err != nil {
			return nil, err
		}
	}
	d.buf = nil
	h := &runHeap{}
	for _, name := range d.runs {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("distinct count: %w", err)
		}
		r := &run{f: f, r: bufio.NewReaderSize(f, 1<<16)}
		ok, err := r.next()
		if err != nil {
			f.Close()
			return nil, err
		}
		if ok {
			heap.Push(h, r)
		} else {
			f.Close()
		}
	}
	defer func() {
		for _, r := range *h {
			r.f.Close()
		}
	}()
	var prev hashEntry
	first := true
	for h.Len() > 0 {
		r := (*h)[0]
		if first || r.cur != prev {
			out[int(r.cur.target)]++
			prev, first = r.cur, false
		}
		ok, err := r.next()
		if err != nil {
			return nil, err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
			r.f.Close()
		}
	}
	return out, nil
}

// close removes the spilled runs.
func (d *distinctCounter) close() {
	for _, name := range d.runs {
		os.Remove(name)
	}
	d.runs = nil
}

type run struct {
	f   *os.File
	r   *bufio.Reader
	cur hashEntry
	b   [entrySize]byte
}

func (r *run) next() (bool, error) {
	if _, err := io.ReadFull(r.r, r.b[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, fmt.Errorf("distinct count: reading %s: %w", r.f.Name(), err)
	}
	r.cur = hashEntry{binary.LittleEndian.Uint32(r.b[:4]), binary.LittleEndian.Uint64(r.b[4:])}
	return true, nil
}

type runHeap []*run

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return cmpEntry(h[i].cur, h[j].cur) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*run)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
