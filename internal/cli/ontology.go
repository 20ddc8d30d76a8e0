package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/ontology"
)

func init() { extraCommands = append(extraCommands, newOntologyCmd) }

// ontologySource describes graph oeg:ontology in the metadata like any other source.
var ontologySource = ingest.Source{
	Name:      "ontology",
	Title:     "Ontologie Open Emploi 360 " + ontology.Version + " (OWL, SKOS, SHACL)",
	Mapping:   "ontology/*.ttl",
	Graph:     ontology.Graph,
	Publisher: "Open Emploi 360",
	License:   "https://www.apache.org/licenses/LICENSE-2.0",
	Version:   1,
	Issued:    ontology.Issued,
}

func newOntologyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ontology",
		Short: "Work with the ontology shipped in the binary",
	}
	load := &cobra.Command{
		Use:   "load",
		Short: "Load the ontology and the SHACL shapes into graph oeg:ontology, the skills vocabulary into oeg:skills-synonyms",
		Long: `Load the ontology and the SHACL shapes into graph oeg:ontology, and the skills
vocabulary (synonyms, acronyms, word forms in SKOS; doc/skills.md) into graph
oeg:skills-synonyms, each described in oeg:meta. The vocabulary is the one shipped in
the binary (mappings/skills-synonyms.ttl) unless --synonyms names a steward's edited
copy. The diagnostic reads the vocabulary from the store with the next data version:
no restart.`,
		Example: `  openemploi ontology load
  openemploi ontology load --synonyms ./skills-synonyms.ttl
  openemploi ontology load --store http://127.0.0.1:7878 --store-preset oxigraph`,
		Args: cobra.NoArgs,
	}
	var synonyms string
	load.Flags().StringVar(&synonyms, "synonyms", "", "Turtle file of the skills vocabulary to load instead of the embedded one")
	runWithStore(load, func(cmd *cobra.Command, _ []string, c *store.Client) error {
		// Read and checked before the ontology is touched: a broken file changes nothing.
		voc, err := readSynonyms(synonyms)
		if err != nil {
			return fmt.Errorf("ontology load: %w", err)
		}
		if err := loadOntology(cmd, c); err != nil {
			return err
		}
		return loadSynonyms(cmd, c, voc)
	})
	cmd.AddCommand(load)
	return cmd
}

func loadOntology(cmd *cobra.Command, c *store.Client) error {
	files := map[string][]byte{}
	for _, name := range ontology.TurtleFiles {
		b, err := ontology.File(name)
		if err != nil {
			return err
		}
		files[name] = b
	}
	stderr := cmd.ErrOrStderr()
	im := &ingest.Importer{Store: c, Logf: func(f string, a ...any) { fmt.Fprintf(stderr, f+"\n", a...) }}
	res, err := im.ImportTurtle(cmd.Context(), ontologySource, "ontology", files)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "ontology %s: %d triples in %s\n", ontology.Version, res.Graphs[ontology.Graph], ontology.Graph)
	return nil
}
