package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/openemploi360/openemploi/internal/synth"
)

func init() { extraCommands = append(extraCommands, newSynthCmd) }

func newSynthCmd() *cobra.Command {
	var o synth.Options
	var refs string
	cmd := &cobra.Command{
		Use:   "synth",
		Short: "Generate synthetic offers and training sessions at PACA volume (labelled synthetic)",
		Long: `synth writes job offers in the France Travail v2 JSON layout (one file per month) and
training sessions in LHEO XML, drawn from the real referentials and communes of the
bundled sample, deterministically for a seed. Open data lacks that volume; the graphs
these files are imported into say "synthetic" in their metadata (sources offres-synth
and formations-synth).`,
		Example: `  openemploi synth --out var/synth
  openemploi synth --out var/synth --scale 0.1 --seed 7
  openemploi import offres-synth var/synth/offres-synth-*.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := synth.LoadRefs(refs)
			if err != nil {
				return fmt.Errorf("synth: referentials from %s: %w", refs, err)
			}
			start := time.Now()
			res, err := synth.Generate(cmd.Context(), o, r)
			if err != nil {
				return err
			}
			for _, f := range res.OfferFiles {
				fmt.Fprintln(cmd.OutOrStdout(), f)
			}
			fmt.Fprintln(cmd.OutOrStdout(), res.TrainingFile)
			fmt.Fprintf(cmd.ErrOrStderr(), "synth: %d offers, %d sessions in %s (seed %d)\n", res.Offers, res.Sessions, time.Since(start).Round(time.Millisecond), o.Seed)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.OutDir, "out", "var/synth", "output folder")
	fl.Uint64Var(&o.Seed, "seed", 1, "random seed: the same seed gives the same bytes")
	fl.IntVar(&o.Months, "months", 6, "number of months of offers")
	fl.StringVar(&o.EndMonth, "end-month", "2025-01", "last month, YYYY-MM")
	fl.IntVar(&o.OffersPerMonth, "offers-per-month", 50000, "offers per month at scale 1")
	fl.IntVar(&o.Sessions, "sessions", 5000, "training sessions at scale 1")
	fl.Float64Var(&o.Scale, "scale", 1, "multiplies offers and sessions (0.1 for a quick demo)")
	fl.StringVar(&refs, "refs", filepath.Join(envOr("OPENEMPLOI_ROOT", "."), "testdata/sample"), "folder of the bundled sample the referentials are read from")
	return cmd
}
