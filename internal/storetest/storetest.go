// Package storetest gives integration tests real, empty triple stores: a Fuseki (one
// server per test binary, one fresh in-memory dataset per test) and an Oxigraph (one
// fresh in-memory server per test, it starts in milliseconds).
//
// Use it from a test package:
//
//	func TestMain(m *testing.M) { storetest.Main(m) }
//
//	func TestX(t *testing.T) {
//		storetest.ForEach(t, func(t *testing.T, c *store.Client) { … })
//	}
//
// Environment:
//
//	OPENEMPLOI_TEST_FUSEKI   root URL of a running Fuseki with its admin API (e.g.
//	                         http://127.0.0.1:3939): reused instead of starting one
//	OPENEMPLOI_FUSEKI_JAR    the Fuseki server jar (default: <repo>/.cache/fuseki/jena-fuseki-server-5.6.0.jar)
//	OPENEMPLOI_OXIGRAPH      the oxigraph binary (default: oxigraph on PATH)
//	OPENEMPLOI_TEST_STORES   comma-separated kinds to test (default: fuseki,oxigraph;
//	                         "none" skips every store test, for a quick unit-test pass)
//	CI=true                  a store that cannot be started fails the test instead of
//	                         skipping it, and so does OPENEMPLOI_TEST_STORES=none: CI
//	                         never passes on zero store subtests
//
// Run `scripts/setup.sh` once to get both stores (oxigraph in .cache/venv/bin).
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/store"
)

// The store kinds.
const (
	KindFuseki   = "fuseki"
	KindOxigraph = "oxigraph"
)

// FusekiJar is the jar path below the repository root that scripts/stores.sh fetch
// writes.
const FusekiJar = ".cache/fuseki/jena-fuseki-server-5.6.0.jar"

const howTo = "run scripts/setup.sh (needs java 17+ and mvn; oxigraph goes into .cache/venv), or set OPENEMPLOI_TEST_FUSEKI / OPENEMPLOI_FUSEKI_JAR / OPENEMPLOI_OXIGRAPH; OPENEMPLOI_TEST_STORES restricts the kinds"

var (
	fusekiOnce sync.Once
	fusekiRoot string // server root URL, no trailing slash
	fusekiErr  error
	fusekiProc *process // nil when reused from the environment

	seq atomic.Int64
)

// Main runs the tests and stops whatever stores it started. The Fuseki server is
// started lazily, by the first test that asks for one, so a package whose tests are
// filtered out pays nothing.
func Main(m *testing.M) {
	code := m.Run()
	if fusekiProc != nil {
		fusekiProc.stop()
	}
	os.Exit(code)
}

// Kinds returns the store kinds under test: fuseki and oxigraph, or those listed in
// OPENEMPLOI_TEST_STORES ("none": no kind).
func Kinds() []string {
	v := strings.TrimSpace(os.Getenv("OPENEMPLOI_TEST_STORES"))
	if v == "" {
		return []string{KindFuseki, KindOxigraph}
	}
	var kinds []string
	for _, k := range strings.Split(v, ",") {
		if k = strings.TrimSpace(k); k != "" && k != "none" {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// ForEach runs f as the subtests "fuseki" and "oxigraph" (see Kinds), each with a
// client on a fresh, empty dataset.
func ForEach(t *testing.T, f func(t *testing.T, c *store.Client)) {
	t.Helper()
	kinds := Kinds()
	if len(kinds) == 0 {
		// Zero subtests would pass silently: say so, and refuse it in CI.
		unavailable(t, "OPENEMPLOI_TEST_STORES=%q selects no store", os.Getenv("OPENEMPLOI_TEST_STORES"))
	}
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			f(t, New(t, kind))
		})
	}
}

// New returns a client on a fresh, empty dataset of the given kind, removed when the
// test ends.
func New(tb testing.TB, kind string) *store.Client {
	tb.Helper()
	c, err := store.New(NewConfig(tb, kind))
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	return c
}

// NewConfig is New for tests that build their own client (other timeouts,
// credentials) or hand the URL to a command: the config of a fresh, empty dataset.
func NewConfig(tb testing.TB, kind string) store.Config {
	tb.Helper()
	switch kind {
	case KindFuseki:
		return newFusekiDataset(tb)
	case KindOxigraph:
		return newOxigraph(tb)
	}
	tb.Fatalf("storetest: unknown store kind %q (want %s or %s)", kind, KindFuseki, KindOxigraph)
	return store.Config{}
}

// unavailable fails in CI, where every store must run, and skips elsewhere.
func unavailable(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		tb.Fatalf("storetest: %s (CI=true: stores are required)", msg)
	}
	tb.Skipf("storetest: %s; %s", msg, howTo)
}

func newFusekiDataset(tb testing.TB) store.Config {
	tb.Helper()
	fusekiOnce.Do(func() { fusekiRoot, fusekiErr = ensureFuseki() })
	if fusekiErr != nil {
		unavailable(tb, "no Fuseki: %v", fusekiErr)
	}
	name := fmt.Sprintf("t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, seq.Add(1))
	form := url.Values{"dbName": {name}, "dbType": {"mem"}}
	if err := admin(http.MethodPost, fusekiRoot+"/$/datasets", form); err != nil {
		tb.Fatalf("storetest: create Fuseki dataset %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if err := admin(http.MethodDelete, fusekiRoot+"/$/datasets/"+name, nil); err != nil {
			tb.Errorf("storetest: delete Fuseki dataset %s: %v", name, err)
		}
	})
	// An in-memory dataset holds a load request's transaction in the heap (1 GB for
	// the Fuseki these tests start): imports send bounded requests, as to a generic store.
	return store.Config{Preset: store.Fuseki, BaseURL: fusekiRoot + "/" + name, Timeout: 60 * time.Second, LoadChunk: 200_000}
}

// Generous: a shared Fuseki on a loaded machine has taken over 30 s to create a dataset.
var adminClient = &http.Client{Timeout: 2 * time.Minute}

func admin(method, u string, form url.Values) error {
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		return err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := adminClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return fmt.Errorf("%s %s: %s: %s", method, u, resp.Status, strings.Join(strings.Fields(b.String()), " "))
	}
	return nil
}

// ensureFuseki reuses OPENEMPLOI_TEST_FUSEKI or starts a server from the jar.
func ensureFuseki() (string, error) {
	if root := strings.TrimRight(os.Getenv("OPENEMPLOI_TEST_FUSEKI"), "/"); root != "" {
		if err := waitHTTP(root+"/$/ping", 10*time.Second, nil); err != nil {
			return "", fmt.Errorf("OPENEMPLOI_TEST_FUSEKI=%s does not answer: %w", root, err)
		}
		return root, nil
	}
	jar := os.Getenv("OPENEMPLOI_FUSEKI_JAR")
	if jar == "" {
		root, err := RepoRoot()
		if err != nil {
			return "", err
		}
		jar = filepath.Join(root, FusekiJar)
	}
	if _, err := os.Stat(jar); err != nil {
		return "", fmt.Errorf("Fuseki jar: %w", err)
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return "", fmt.Errorf("java: %w", err)
	}
	base, err := os.MkdirTemp("", "storetest-fuseki-")
	if err != nil {
		return "", err
	}
	// A port taken between our probe and Fuseki's bind makes it exit: try again.
	var lastErr error
	for try := 0; try < 3; try++ {
		port, err := FreePort()
		if err != nil {
			return "", err
		}
		// C1 only and the serial collector: faster start and fewer threads on a small
		// machine; test datasets are tiny.
		cmd := exec.Command(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
			"-jar", jar, "--localhost", "--port", fmt.Sprint(port))
		cmd.Env = append(os.Environ(), "FUSEKI_BASE="+base)
		cmd.Dir = base
		p, err := startProcess(cmd, filepath.Join(base, "fuseki.log"))
		if err != nil {
			return "", err
		}
		root := fmt.Sprintf("http://127.0.0.1:%d", port)
		// Minutes, not seconds: on a loaded 2-core machine the JVM has taken 2 minutes.
		if err := waitHTTP(root+"/$/ping", 5*time.Minute, p.exited); err != nil {
			p.stop()
			lastErr = fmt.Errorf("Fuseki %s did not start: %w (log: %s)", jar, err, p.logTail())
			continue
		}
		p.cleanup = func() { os.RemoveAll(base) }
		fusekiProc = p
		return root, nil
	}
	return "", lastErr
}

func newOxigraph(tb testing.TB) store.Config {
	tb.Helper()
	bin := os.Getenv("OPENEMPLOI_OXIGRAPH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("oxigraph"); err != nil {
			unavailable(tb, "no oxigraph on PATH")
		}
	}
	var lastErr error
	for try := 0; try < 3; try++ {
		port, err := FreePort()
		if err != nil {
			tb.Fatalf("storetest: %v", err)
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		logFile := filepath.Join(tb.TempDir(), "oxigraph.log")
		p, err := startProcess(exec.Command(bin, "serve", "--bind", addr), logFile)
		if err != nil {
			unavailable(tb, "start %s: %v", bin, err)
		}
		root := "http://" + addr
		if err := waitHTTP(root+"/query?query=ASK%7B%7D", 20*time.Second, p.exited); err != nil {
			p.stop()
			lastErr = fmt.Errorf("oxigraph did not start: %w (log: %s)", err, p.logTail())
			continue
		}
		p.kill = true
		tb.Cleanup(p.stop)
		return store.Config{Preset: store.Oxigraph, BaseURL: root, Timeout: 60 * time.Second}
	}
	unavailable(tb, "%v", lastErr)
	return store.Config{}
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// RepoRoot walks up from the working directory to the directory holding go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// waitHTTP polls u until it answers 2xx, the process exits or the time is up.
func waitHTTP(u string, limit time.Duration, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	c := &http.Client{Timeout: 2 * time.Second}
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return nil
			}
			err = fmt.Errorf("%s", resp.Status)
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("no answer from %s within %s: %v", u, limit, last)
		case <-exited:
			return fmt.Errorf("the process exited")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// process is a store we started.
type process struct {
	cmd     *exec.Cmd
	kill    bool // nothing to flush (in-memory Oxigraph): kill at once
	log     string
	exited  chan struct{}
	once    sync.Once
	cleanup func()
}

func startProcess(cmd *exec.Cmd, logPath string) (*process, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = f, f
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	p := &process{cmd: cmd, log: logPath, exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		f.Close()
		close(p.exited)
	}()
	return p, nil
}

// stop asks the process to end, then kills it if it lingers.
func (p *process) stop() {
	p.once.Do(func() {
		if p.kill {
			p.cmd.Process.Kill()
		} else {
			p.cmd.Process.Signal(os.Interrupt)
		}
		select {
		case <-p.exited:
		case <-time.After(5 * time.Second):
			p.cmd.Process.Kill()
			<-p.exited
		}
		if p.cleanup != nil {
			p.cleanup()
		}
	})
}

func (p *process) logTail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 600 {
		b = b[len(b)-600:]
	}
	return strings.Join(strings.Fields(string(b)), " ")
}
