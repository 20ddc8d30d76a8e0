// Package mappings holds the RML mapping of every data source and the
// catalog that lists them (catalog.yaml), embedded so that the binary can
// import without the source tree.
//
// The mappings are declarative Turtle files meant to be read by data stewards;
// README.md explains how to add one. The catalog order is the import order of
// "import --all": referentials and geography first, offers last.
package mappings

//go:generate go run gen_wide.go

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"

	"gopkg.in/yaml.v3"
)

// FS holds the mapping files, catalog.yaml and the post-import updates of the
// mappings (*.ru: what RML cannot express, see offers-salary.ru), at its root.
//
//go:embed *.rml.ttl *.ru catalog.yaml
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
	Derived     []string `yaml:"derived"`   // queries/derived/NAME.ru to run after import
	Transform   []string `yaml:"transform"` // SPARQL Updates (*.ru here) run on the staging graphs before validation
	// MinRatio refuses an import whose graph has fewer than MinRatio × the triples of
	// its live version (a truncated download); nil means the importer's default.
	MinRatio *float64 `yaml:"min_ratio"`
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
		}
		if _, err := fs.Stat(fsys, s.Mapping); err != nil {
			return fmt.Errorf("%s: mapping: %w", where, err)
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
