// Package ingest runs an import: it maps a source's files to RDF with its RML mapping,
// loads the result into graphs of its own (one version per run, oeg:<graph>/v/<run>),
// validates them against the SHACL shapes, makes them live with one small update of
// the metadata graph (which names the current version of every graph), drops the
// versions they replace, then recomputes the derived aggregates. A failed or killed
// import leaves the live graphs and their metadata exactly as they were.
package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/mappings"
)

// Graph names come from vocab; these aliases keep the callers of the package (the
// CLI, its end-to-end test) reading as before.
const (
	GraphNS       = vocab.GraphNS
	MetaGraph     = vocab.MetaGraph
	DerivedGraph  = vocab.DerivedGraph
	OntologyGraph = vocab.OntologyGraph
	stagingPrefix = vocab.StagingPrefix
)

// Source is one entry of mappings/catalog.yaml: a dataset, its mapping and what the
// metadata graph says about it. The type and its strict decoding belong to the
// mappings package, which owns the catalog; this package adds what an import needs
// on top (graph and name rules, licence and publisher, transform file names).
type Source = mappings.Source

// Catalog is the list of sources in import order.
type Catalog struct {
	Sources []Source `yaml:"sources"`
	dir     string
}

var sourceName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// LoadCatalog reads and checks a catalog file; mapping paths are resolved against its folder.
func LoadCatalog(path string) (*Catalog, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	srcs, err := mappings.DecodeCatalog(b)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	c := Catalog{Sources: srcs}
	c.dir = filepath.Dir(path)
	seen := map[string]bool{}
	for i, s := range c.Sources {
		where := fmt.Sprintf("catalog %s: sources[%d]", path, i)
		if !sourceName.MatchString(s.Name) {
			return nil, fmt.Errorf("%s: name %q: want lower-case letters, digits and dashes", where, s.Name)
		}
		if seen[s.Name] {
			return nil, fmt.Errorf("%s: name %q: declared twice", where, s.Name)
		}
		seen[s.Name] = true
		if s.Mapping == "" {
			return nil, fmt.Errorf("%s (%s): mapping: missing", where, s.Name)
		}
		if _, _, version := vocab.VersionOf(s.Graph); !vocab.IsGraph(s.Graph) || vocab.IsReserved(s.Graph) || version {
			return nil, fmt.Errorf("%s (%s): graph %q: must be a source graph under %s", where, s.Name, s.Graph, GraphNS)
		}
		for _, t := range s.Transform {
			if strings.ContainsAny(t, `/\`) || !strings.HasSuffix(t, ".ru") {
				return nil, fmt.Errorf("%s (%s): transform %q: want a .ru file name next to the catalog", where, s.Name, t)
			}
		}
		if s.License == "" || s.Publisher == "" {
			return nil, fmt.Errorf("%s (%s): publisher and license are required: every graph says where it comes from", where, s.Name)
		}
	}
	if err := mappings.CheckCatalog(os.DirFS(c.dir), c.Sources); err != nil {
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	return &c, nil
}

// Source returns the named source.
func (c *Catalog) Source(name string) (Source, error) {
	var names []string
	for _, s := range c.Sources {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return Source{}, fmt.Errorf("unknown source %q (known: %s)", name, strings.Join(names, ", "))
}

// Dir is the folder of the catalog file.
func (c *Catalog) Dir() string { return c.dir }

// MappingPath is the mapping file of s.
func (c *Catalog) MappingPath(s Source) string {
	if filepath.IsAbs(s.Mapping) {
		return s.Mapping
	}
	return filepath.Join(c.dir, s.Mapping)
}
