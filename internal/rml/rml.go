// Package rml executes RML mappings (rml.io, the version used by the RML
// conformance test cases) over CSV, JSON and XML files and streams the
// resulting quads to a Sink.
//
// A Mapping is parsed once (LoadFile, Parse) and can be executed many times,
// concurrently too.
// Execution streams every logical source record by record: only the indexes
// of the parent triples maps used by joins are held in memory, so memory
// stays flat whatever the size of the input (XML holds one ancestor of the
// iterated elements when references reach it; a few iterator and reference
// forms load the document, see README.md). Records that cannot be turned
// into valid RDF (malformed IRI, function failure, unparsable CSV line) are
// rejected as a whole and reported with file, position and field; Execute
// fails once more than Options.MaxRejects records were rejected. An input
// that is empty, cut or corrupt, or a JSONPath/XPath reference that matches
// nothing in a whole input (unless marked oerml:optional), fails Execute.
//
// Extensions beyond RML (CSVW dialect options, gzip input, RML-FNML
// functions and code-list lookups, the unpivot of wide CSV tables, mapping
// parameters) are described in README.md.
package rml

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// Mapping is a parsed RML mapping.
type Mapping struct {
	base    string // base IRI for relative IRIs generated from data
	dir     string // directory of the mapping file ("" when parsed from a reader)
	maps    []*triplesMap
	sources []string
	params  map[string]mappingParam // declared mapping parameters
}

// Options control one execution of a Mapping.
type Options struct {
	// Inputs are files given on the command line; each is matched to an
	// rml:source by base name (a ".gz" suffix is ignored). A mapping with a
	// single rml:source takes its inputs whatever their names. Several
	// inputs for one source are read one after the other, as one source.
	// An input that matches no source is an error.
	Inputs []string
	// BaseDir resolves the other, relative rml:source paths (default: the
	// mapping's directory, else the working directory).
	BaseDir string
	// MaxRejects is the number of records allowed to fail before Execute
	// fails (default 0: the first bad record fails the run). Negative means
	// unlimited.
	MaxRejects int
	// Progress, if not nil, is called at most every ~200ms with the records
	// and input bytes read so far, and once at the end.
	Progress func(records, bytes int64)
	// Params give the values of the mapping's parameters (oerml:Parameter,
	// read as "$name" in references and templates), overriding their
	// defaults: the catalog's params, e.g. {"source": "synth"}. A name the
	// mapping does not declare is an error.
	Params map[string]string
}

// Sink receives the generated quads. A zero g is the default graph.
// *ntriples.Writer is a Sink.
type Sink interface {
	Quad(s, p, o, g ntriples.Term) error
}

// RecordSink is a Sink that wants to know where records end: EndRecord is called
// after the quads of each mapped record (a rejected record has none and gets no call),
// with the input's base name and the record's position ("line 12", "/3"). Every quad
// it received since the previous call belongs to that record, so a sink can validate
// or aggregate record by record in the stream. An error stops the execution, wrapped
// with the file and position.
type RecordSink interface {
	Sink
	EndRecord(source, where string) error
}

// Stats describe one execution.
type Stats struct {
	Records  int64    // records read from the logical sources (join index passes excluded)
	Rejected int64    // records rejected (their quads were not emitted)
	Quads    int64    // quads handed to the Sink
	Rejects  []Reject // the first rejects (at most maxKeptRejects)
	Bytes    int64    // input bytes read (compressed size for gzip files)
}

// maxKeptRejects bounds Stats.Rejects so that a run over a bad file with
// unlimited rejects keeps flat memory.
const maxKeptRejects = 1000

// Reject says why one record was dropped.
type Reject struct {
	Source string // input file base name
	Where  string // "line 12", a JSON pointer such as "/3/lieuTravail", or an XPath
	Field  string // the reference (column, JSONPath, XPath) involved, if any
	Reason string
}

// String renders "offres.json:/3/lieuTravail/commune: field commune: empty value".
func (r Reject) String() string {
	s := r.Source + ":" + r.Where + ": "
	if r.Field != "" {
		s += "field " + r.Field + ": "
	}
	return s + r.Reason
}

// LoadFile parses the Turtle mapping at path. Relative rml:source paths are
// later resolved against the mapping's directory.
func LoadFile(path string) (*Mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load mapping: %w", err)
	}
	defer f.Close()
	m, err := Parse(f, "")
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	if abs, err := filepath.Abs(path); err == nil {
		m.dir = filepath.Dir(abs)
	} else {
		m.dir = filepath.Dir(path)
	}
	return m, nil
}

// Sources returns the declared rml:source values, in order of first use.
func (m *Mapping) Sources() []string { return append([]string(nil), m.sources...) }
