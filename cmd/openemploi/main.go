// Command openemploi is the Open Emploi 360 binary: ingestion CLI, store tools and the
// diagnostic service. All logic lives in internal/; main only wires.
package main

import (
	"os"

	"github.com/openemploi360/openemploi/internal/cli"
)

func main() { os.Exit(cli.Execute()) }
