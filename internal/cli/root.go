// Package cli is the openemploi command line: it parses flags and environment, opens
// the adapters (store, mappings, API) and runs them. It holds no domain logic.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/openemploi360/openemploi/internal/apperr"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=…".
var Version = "dev"

// NewRoot builds the command tree; tests call it with their own writers.
func NewRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "openemploi",
		Short: "Open Emploi 360: a knowledge graph and 360° diagnostic of professional mobility in Région Sud",
		Long: `openemploi maps open data (ROME, job offers, CARIF-OREF trainings, INSEE territories)
to RDF, loads it into a SPARQL 1.1 triple store (Fuseki, Oxigraph, or another) and serves
the 360° diagnostic of a mobility project as JSON-LD, with a French dashboard.`,
		Example: `  openemploi store ping --store http://127.0.0.1:3030/openemploi
  openemploi import --all --sample
  openemploi serve --addr 127.0.0.1:8080`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newVersionCmd(),
		newStoreCmd(),
	)
	for _, add := range extraCommands {
		root.AddCommand(add())
	}
	return root
}

// extraCommands lets command files register themselves, so the tree grows one file per
// command without editing this one.
var extraCommands []func() *cobra.Command

// Execute runs the CLI and returns the process exit code: 0 ok, 1 failure, 2 bad input.
func Execute() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := NewRoot(os.Stdout, os.Stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		// One line, never a stack trace: errors carry their own context.
		fmt.Fprintf(os.Stderr, "openemploi: %v\n", err)
		if apperr.Is(err, apperr.Invalid) || isUsageError(err) {
			return 2
		}
		return 1
	}
	return 0
}

type usageError struct{ error }

func isUsageError(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version",
		Example: "  openemploi version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "openemploi %s\n", Version)
			return err
		},
	}
}
