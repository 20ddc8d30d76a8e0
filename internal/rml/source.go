package rml

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// reader iterates the records of one logical source. References are
// compiled once to accessor ids, then read for the current record.
type reader interface {
	// compile returns the accessor id of a reference; an error means the
	// mapping cannot work on this source (unknown CSV column, bad path).
	compile(ref string) (int, error)
	// each calls rec for every record; a record the format itself cannot
	// read is reported to bad instead. Either callback's error stops it.
	each(rec func() error, bad func(where string, err error) error) error
	// values appends the values of accessor id for the current record; null
	// and empty values are skipped.
	values(id int, dst []string) []string
	// where locates the current record ("line 12", "/3", "/a/b[3]").
	where() string
	// where of a field inside the current record, for messages.
	whereField(ref string) string
}

// countingReader counts the bytes read from the file, for Progress.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

type multiCloser []io.Closer

func (m multiCloser) Close() error {
	var first error
	for i := len(m) - 1; i >= 0; i-- {
		if err := m[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// errEmpty is the error of an input with no byte: a failed download or
// export must not pass for a source with no records.
var errEmpty = errors.New("empty file")

// openInput opens path, transparently gunzipping it (by ".gz" suffix or by
// magic bytes). An empty file, or a gzip stream holding nothing, is an
// error; a gzip stream that is cut or corrupt fails the read that reaches
// the damage, saying after how many compressed bytes.
func openInput(path string, counter *atomic.Int64) (io.Reader, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	var read atomic.Int64 // this file's compressed bytes, for gzip errors
	br := bufio.NewReaderSize(countingReader{countingReader{f, counter}, &read}, 256<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 0 {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, errEmpty)
	}
	if strings.HasSuffix(path, ".gz") || len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: gzip: %w", path, gzipErr(err))
		}
		zbr := bufio.NewReaderSize(gzipReader{zr, &read}, 256<<10)
		if _, err := zbr.Peek(1); err == io.EOF {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w (after gunzip)", path, errEmpty)
		}
		return zbr, multiCloser{f, zr}, nil
	}
	return br, f, nil
}

// gzipReader names the damage of a cut or corrupt gzip stream and where.
type gzipReader struct {
	r    io.Reader
	read *atomic.Int64
}

func (g gzipReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("gzip: %w (after %d compressed bytes)", gzipErr(err), g.read.Load())
	}
	return n, err
}

// gzipErr says what a gzip error means for a steward.
func gzipErr(err error) error {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("stream cut before its end, the file is incomplete: %w", err)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return fmt.Errorf("corrupt stream: %w", err)
	}
	return err
}

// decoderFor maps a csvw:encoding to a decoder (nil for UTF-8).
func decoderFor(name string) (*encoding.Decoder, error) {
	switch strings.ToLower(strings.ReplaceAll(name, "_", "-")) {
	case "", "utf-8", "utf8":
		return nil, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
		return charmap.ISO8859_1.NewDecoder(), nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252.NewDecoder(), nil
	case "iso-8859-15", "latin9":
		return charmap.ISO8859_15.NewDecoder(), nil
	case "utf-16":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder(), nil
	}
	return nil, fmt.Errorf("unsupported csvw:encoding %q (UTF-8, ISO-8859-1, ISO-8859-15, windows-1252, UTF-16)", name)
}
