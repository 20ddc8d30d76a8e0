package cli

// The skills vocabulary (synonyms, acronyms, word forms) is data a steward edits: it is
// loaded into its own named graph, oeg:skills-synonyms, with its provenance in
// oeg:meta, and the diagnostic's skills engine reads it from there (doc/skills.md).

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/skills"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/mappings"
)

// embeddedSynonyms names the vocabulary shipped in the binary in messages and oeg:meta.
const embeddedSynonyms = "mappings/skills-synonyms.ttl"

// synonymsSource describes graph oeg:skills-synonyms in the metadata. mapping is the
// file loaded (its base name is the graph's oep:mappingVersion), issued the date of
// that release of the vocabulary.
func synonymsSource(mapping, issued string) ingest.Source {
	noFloor := 0.0
	return ingest.Source{
		Name:      vocab.SynonymsSource,
		Title:     "Vocabulaire des compétences Open Emploi 360 (synonymes, sigles, formes des mots ; SKOS)",
		Mapping:   mapping,
		Graph:     vocab.SynonymsGraph,
		Publisher: "Open Emploi 360",
		License:   "https://www.apache.org/licenses/LICENSE-2.0",
		Version:   1,
		Issued:    issued,
		// A steward may well remove half of the synonyms on purpose; a truncated file
		// does not get this far, since it must parse as a whole vocabulary first.
		MinRatio: &noFloor,
	}
}

// synonymsFile is a vocabulary read and checked as the engine reads it.
type synonymsFile struct {
	name, issued string
	data         []byte
	voc          *skills.Vocabulary
}

// readSynonyms reads the embedded vocabulary when file is empty, else the steward's
// file, dated by its modification day, and checks it as the engine will, so that a
// file the engine would refuse never goes live.
func readSynonyms(file string) (*synonymsFile, error) {
	f := &synonymsFile{name: embeddedSynonyms, data: mappings.SkillsSynonyms, issued: mappings.SkillsSynonymsIssued}
	if file != "" {
		st, err := os.Stat(file)
		if err != nil {
			return nil, fmt.Errorf("skills vocabulary: %w", err)
		}
		if f.data, err = os.ReadFile(file); err != nil {
			return nil, fmt.Errorf("skills vocabulary: %w", err)
		}
		f.name, f.issued = file, st.ModTime().UTC().Format(time.DateOnly)
	}
	var err error
	if f.voc, err = skills.ParseVocabulary(f.name, f.data); err != nil {
		return nil, err
	}
	return f, nil
}

// loadSynonyms loads a checked vocabulary into oeg:skills-synonyms.
func loadSynonyms(cmd *cobra.Command, c *store.Client, f *synonymsFile) error {
	stderr := cmd.ErrOrStderr()
	im := &ingest.Importer{Store: c, Logf: func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }}
	res, err := im.ImportTurtle(cmd.Context(), synonymsSource(f.name, f.issued), vocab.SynonymsSource, map[string][]byte{filepath.Base(f.name): f.data})
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "skills vocabulary %s: %d triples (%d synonyms, %d word forms) in %s\n",
		f.name, res.Graphs[vocab.SynonymsGraph], len(f.voc.Synonyms), len(f.voc.Forms), vocab.SynonymsGraph)
	return nil
}
