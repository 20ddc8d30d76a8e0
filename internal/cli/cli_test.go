package cli

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	root := NewRoot(&out, &errb)
	root.SetArgs(args)
	err = root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func TestEveryCommandHasAnExample(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && strings.TrimSpace(c.Example) == "" {
			t.Errorf("%q has no example in its --help", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			if sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			walk(sub)
		}
	}
	walk(NewRoot(&bytes.Buffer{}, &bytes.Buffer{}))
}

func TestVersion(t *testing.T) {
	out, _, err := run(t, "version")
	if err != nil || !strings.HasPrefix(out, "openemploi ") {
		t.Fatalf("version: %q %v", out, err)
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestStorePingErrors(t *testing.T) {
	fail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "dataset is being rebuilt", http.StatusInternalServerError)
	}))
	defer fail.Close()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"ErrRefused", []string{"store", "ping", "--store", "http://" + closedPort(t) + "/ds", "--store-retries", "0"}, []string{"/ds/query", "refused"}},
		{"ErrBadURL", []string{"store", "ping", "--store", "ftp://x/ds"}, []string{"ftp"}},
		{"ErrGenericNeedsURLs", []string{"store", "ping", "--store-preset", "generic", "--store", ""}, []string{"query"}},
		{"Err500", []string{"store", "ping", "--store", fail.URL + "/ds", "--store-retries", "0"}, []string{"500", "dataset is being rebuilt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, tt.args...)
			if err == nil {
				t.Fatal("ping succeeded")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans several lines: %q", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(strings.ToLower(msg), strings.ToLower(w)) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
}

func TestImportUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ErrNoArgs", []string{"import", "--catalog", "../../mappings/catalog.yaml"}, "SOURCE"},
		{"ErrUnknownSource", []string{"import", "nope", "x.csv", "--catalog", "../../mappings/catalog.yaml"}, "unknown source"},
		{"ErrMissingCatalog", []string{"import", "rome4", "x.csv", "--catalog", "/nonexistent/catalog.yaml"}, "catalog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want mention of %q", err, tt.want)
			}
		})
	}
}

func TestStoreRetriesZeroMeansNone(t *testing.T) {
	_, _, err := run(t, "store", "ping", "--store", "http://"+closedPort(t)+"/ds", "--store-retries", "0")
	if err == nil || strings.Contains(err.Error(), "attempts") {
		t.Fatalf("--store-retries 0 retried: %v", err)
	}
	_, _, err = run(t, "store", "ping", "--store", "http://"+closedPort(t)+"/ds", "--store-retries", "1")
	if err == nil || !strings.Contains(err.Error(), "after 2 attempts") {
		t.Fatalf("--store-retries 1: %v", err)
	}
}
