package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/openemploi360/openemploi/internal/store"
)

// storeFlags holds the settings every command that talks to the store shares. Each flag
// falls back to an environment variable, so a container or a CI job configures the
// binary without a wrapper script. Credentials come from the environment only: a flag
// would leave them in shell history and in `ps`.
type storeFlags struct {
	url       string
	preset    string
	queryURL  string
	updateURL string
	gspURL    string
	timeout   time.Duration
	retries   int
}

const defaultStoreURL = "http://127.0.0.1:3030/openemploi"

func (f *storeFlags) register(fs *pflag.FlagSet, defTimeout time.Duration) {
	fs.StringVar(&f.url, "store", envOr("OPENEMPLOI_STORE", defaultStoreURL),
		"store base URL: Fuseki dataset URL or Oxigraph server URL (env OPENEMPLOI_STORE)")
	fs.StringVar(&f.preset, "store-preset", envOr("OPENEMPLOI_STORE_PRESET", "fuseki"),
		"endpoint layout: fuseki, oxigraph or generic (env OPENEMPLOI_STORE_PRESET)")
	fs.StringVar(&f.queryURL, "query-url", os.Getenv("OPENEMPLOI_QUERY_URL"),
		"SPARQL query endpoint, overrides the preset (env OPENEMPLOI_QUERY_URL)")
	fs.StringVar(&f.updateURL, "update-url", os.Getenv("OPENEMPLOI_UPDATE_URL"),
		"SPARQL update endpoint, overrides the preset (env OPENEMPLOI_UPDATE_URL)")
	fs.StringVar(&f.gspURL, "gsp-url", os.Getenv("OPENEMPLOI_GSP_URL"),
		"Graph Store Protocol endpoint, overrides the preset (env OPENEMPLOI_GSP_URL)")
	fs.DurationVar(&f.timeout, "store-timeout", envDuration("OPENEMPLOI_STORE_TIMEOUT", defTimeout),
		"timeout of one request to the store (env OPENEMPLOI_STORE_TIMEOUT)")
	fs.IntVar(&f.retries, "store-retries", envInt("OPENEMPLOI_STORE_RETRIES", 3),
		"retries on connection errors and 503 (env OPENEMPLOI_STORE_RETRIES)")
}

func (f *storeFlags) client() (*store.Client, error) {
	retries := f.retries
	if retries == 0 {
		retries = -1 // the store reads 0 as "default"; on the command line 0 means none
	}
	c, err := store.New(store.Config{
		Preset:    store.Preset(f.preset),
		BaseURL:   f.url,
		QueryURL:  f.queryURL,
		UpdateURL: f.updateURL,
		GSPURL:    f.gspURL,
		User:      os.Getenv("OPENEMPLOI_STORE_USER"),
		Password:  os.Getenv("OPENEMPLOI_STORE_PASSWORD"),
		Timeout:   f.timeout,
		Retries:   retries,
	})
	if err != nil {
		return nil, fmt.Errorf("store configuration: %w", err)
	}
	return c, nil
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if v := os.Getenv(key); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
		fmt.Fprintf(os.Stderr, "openemploi: ignoring %s=%q: not a duration like 30s\n", key, v)
	}
	return def
}

func envInt(key string, def int) int {
	if v := os.Getenv(key); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		fmt.Fprintf(os.Stderr, "openemploi: ignoring %s=%q: not an integer\n", key, v)
	}
	return def
}

// tempDir is where imports keep their temporary files: tmp/ under the project's state
// folder (OPENEMPLOI_STATE_DIR, var by default), which `store gc` cleans.
func tempDir() string {
	return filepath.Join(envOr("OPENEMPLOI_STATE_DIR", "var"), "tmp")
}

// withStore registers the store flags on cmd and returns a getter for the client.
func withStore(cmd *cobra.Command) func() (*store.Client, error) {
	return withStoreTimeout(cmd, 30*time.Second)
}

// withStoreTimeout is withStore for commands whose requests are big by nature (an
// import's load chunks): a longer default per-request timeout.
func withStoreTimeout(cmd *cobra.Command, def time.Duration) func() (*store.Client, error) {
	f := &storeFlags{}
	f.register(cmd.Flags(), def)
	return f.client
}

// runWithStore registers the store flags on cmd and makes its RunE open a client from
// them before calling run: the preamble every store command would otherwise repeat.
func runWithStore(cmd *cobra.Command, run func(cmd *cobra.Command, args []string, c *store.Client) error) *cobra.Command {
	client := withStore(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		c, err := client()
		if err != nil {
			return err
		}
		return run(cmd, args, c)
	}
	return cmd
}
