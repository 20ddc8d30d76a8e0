// Package mappings holds the RML mapping of every data source and the
// catalog that lists them (catalog.yaml), embedded so that the binary can
// import without the source tree.
//
// The mappings are declarative Turtle files meant to be read by data stewards;
// README.md explains how to add one. The catalog order is the import order of
// "import --all": referentials and geography first, offers last.
package mappings

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"

	"gopkg.in/yaml.v3"
)

// FS holds the mapping files, the code lists they read (*.csv) and
// catalog.yaml, at its root.
//
//go:embed *.rml.ttl *.csv catalog.yaml
var FS embed.FS

// Source is one catalog entry: a data source, the mapping that turns its
// files into RDF and how its graphs are published.
type Source struct {
	Name        string   `yaml:"name"`        // CLI name: openemploi import NAME FILE...
	Title       string   `yaml:"title"`       // dct:title of the graph
	Mapping     string   `yaml:"mapping"`     // file name in this package
	Graph       string   `yaml:"graph"`       // graph of the quads without a graph map
	Partitioned bool     `yaml:"partitioned"` // graphs come from the mapping's graph map
	Publisher   string   `yaml:"publisher"`
	License     string   `yaml:"license"`
	Issued      string   `yaml:"issued"`    // date of the data, YYYY-MM-DD
	Synthetic   bool     `yaml:"synthetic"` // generated data, never to be shown as real
	Version     int      `yaml:"version"`   // mapping version, bumped on change
	Sample      []string `yaml:"sample"`    // repo-relative files of the bundled sample
	// Aggregate names the aggregates computed while the source is mapped: "offers"
	// (internal/aggregate: offers per area × métier × month and their breakdowns, into
	// oeg:derived/<source>/<month>, live with the offers); "" for none.
	Aggregate string   `yaml:"aggregate"`
	Transform []string `yaml:"transform"` // SPARQL Updates (*.ru beside the catalog) run on the staging graphs before validation; none left
	Fetch     *Fetch   `yaml:"fetch"`     // how `openemploi refresh` gets the files; nil: by hand only
	// Params give values to the mapping's parameters (oerml:Parameter), so
	// that one mapping serves several sources: offres-synth is offres-ft's
	// mapping with {source: synth}. Pass them as rml.Options.Params.
	Params map[string]string `yaml:"params"`
	// MinRatio refuses an import whose graph has fewer than MinRatio × the triples of
	// its live version (a truncated download); nil means the importer's default.
	MinRatio *float64 `yaml:"min_ratio"`
}

// Fetch says where a connector gets a source's files and how often (doc/connectors.md).
type Fetch struct {
	// Connector: "francetravail" (the Offres d'emploi v2 API, credentials from the
	// environment) or "download" (HTTP GET of Files, conditional on ETag/Last-Modified).
	Connector string `yaml:"connector"`
	// Schedule: "daily", "weekly" or "monthly": refresh checks the source when that long
	// has passed since it last did.
	Schedule string `yaml:"schedule"`
	// Checksum policy of downloads: "sha256" (a body with the checksum of the last
	// import is not imported again) or "pinned" (each file must have its sha256 below:
	// a publisher changing a file in place is an error, not an import).
	Checksum string      `yaml:"checksum"`
	Files    []FetchFile `yaml:"files"`
}

// FetchFile is one file a download connector gets.
type FetchFile struct {
	URL    string `yaml:"url"`    // https URL: an Opendatasoft export, a data.gouv.fr stable resource URL…
	Name   string `yaml:"name"`   // base name given to the mapping (its rml:source)
	Format string `yaml:"format"` // csv, json, xml: what the mapping expects
	SHA256 string `yaml:"sha256"` // expected checksum, with checksum: pinned
}

// Check checks a source's fetch settings.
func (f *Fetch) Check() error {
	switch f.Schedule {
	case "daily", "weekly", "monthly":
	default:
		return fmt.Errorf("fetch: schedule %q: want daily, weekly or monthly", f.Schedule)
	}
	switch f.Connector {
	case "francetravail":
		if len(f.Files) > 0 {
			return fmt.Errorf("fetch: connector francetravail takes no files")
		}
	case "download":
		if len(f.Files) == 0 {
			return fmt.Errorf("fetch: connector download needs files")
		}
		if f.Checksum != "sha256" && f.Checksum != "pinned" {
			return fmt.Errorf("fetch: checksum %q: want sha256 or pinned", f.Checksum)
		}
		for i, file := range f.Files {
			switch {
			case !strings.HasPrefix(file.URL, "https://") && !strings.HasPrefix(file.URL, "http://"):
				return fmt.Errorf("fetch: file %d: url %q is not http(s)", i+1, file.URL)
			case file.Name == "" || strings.ContainsAny(file.Name, `/\`):
				return fmt.Errorf("fetch: file %d: name %q must be a base file name", i+1, file.Name)
			case file.Format == "":
				return fmt.Errorf("fetch: file %d: no format", i+1)
			case f.Checksum == "pinned" && len(file.SHA256) != 64:
				return fmt.Errorf("fetch: file %d: checksum pinned needs its sha256", i+1)
			}
		}
	default:
		return fmt.Errorf("fetch: connector %q: want francetravail or download", f.Connector)
	}
	return nil
}

// MappingVersion is the oep:mappingVersion of the source's graphs ("rome4@1").
func (s Source) MappingVersion() string { return fmt.Sprintf("%s@%d", s.Name, s.Version) }

// Catalog reads the embedded catalog.
func Catalog() ([]Source, error) { return ReadCatalog(FS) }

// ReadCatalog reads catalog.yaml from fsys and checks what the import relies
// on: unique names, an existing mapping, a graph IRI, a version.
func ReadCatalog(fsys fs.FS) ([]Source, error) {
	b, err := fs.ReadFile(fsys, "catalog.yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	srcs, err := DecodeCatalog(b)
	if err != nil {
		return nil, fmt.Errorf("catalog.yaml: %w", err)
	}
	return srcs, CheckCatalog(fsys, srcs)
}

// DecodeCatalog parses a catalog strictly: an unknown field is an error, so a typo in
// a data steward's entry is reported rather than ignored.
func DecodeCatalog(b []byte) ([]Source, error) {
	var doc struct {
		Sources []Source `yaml:"sources"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc.Sources, nil
}

// AggregateOffers is the catalog's aggregate of the offers sources.
const AggregateOffers = "offers"

// CheckCatalog checks decoded sources against the mappings in fsys.
func CheckCatalog(fsys fs.FS, srcs []Source) error {
	seen := map[string]bool{}
	for i, s := range srcs {
		where := fmt.Sprintf("catalog.yaml: source %d (%q)", i+1, s.Name)
		switch {
		case s.Name == "":
			return fmt.Errorf("%s: no name", where)
		case seen[s.Name]:
			return fmt.Errorf("%s: duplicate name", where)
		case s.Mapping == "":
			return fmt.Errorf("%s: no mapping", where)
		case !strings.HasPrefix(s.Graph, "https://data.dataregionsud.fr/openemploi/graph/"):
			return fmt.Errorf("%s: graph %q is not under oeg:", where, s.Graph)
		case s.Version < 1:
			return fmt.Errorf("%s: version must be >= 1", where)
		case s.Aggregate != "" && s.Aggregate != AggregateOffers:
			return fmt.Errorf("%s: aggregate %q: want %q or nothing", where, s.Aggregate, AggregateOffers)
		case s.Aggregate != "" && !s.Partitioned:
			return fmt.Errorf("%s: aggregate %q needs a partitioned source (one graph per month)", where, s.Aggregate)
		}
		if _, err := fs.Stat(fsys, s.Mapping); err != nil {
			return fmt.Errorf("%s: mapping: %w", where, err)
		}
		if s.Fetch != nil {
			if err := s.Fetch.Check(); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
		seen[s.Name] = true
	}
	return nil
}

// Lookup returns the catalog entry called name.
func Lookup(name string) (Source, error) {
	srcs, err := Catalog()
	if err != nil {
		return Source{}, err
	}
	var names []string
	for _, s := range srcs {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return Source{}, fmt.Errorf("unknown source %q (known: %s)", name, strings.Join(names, ", "))
}
