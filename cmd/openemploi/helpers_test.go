package main

import (
	"bytes"

	"github.com/spf13/cobra"

	"github.com/openemploi360/openemploi/internal/cli"
)

func newRootForTest() *cobra.Command { return cli.NewRoot(&bytes.Buffer{}, &bytes.Buffer{}) }
