package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// There is no Docker engine on the development machines, so docker-compose.yml is kept
// in step with the scripts by these checks rather than by running it.

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestComposeMatchesScripts(t *testing.T) {
	var compose struct {
		Services map[string]struct {
			Build *struct {
				Dockerfile string `yaml:"dockerfile"`
			} `yaml:"build"`
			Environment map[string]string `yaml:"environment"`
			Command     []string          `yaml:"command"`
			DependsOn   map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
			Healthcheck *struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal([]byte(read(t, "../../docker-compose.yml")), &compose); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for _, name := range []string{"fuseki", "import", "openemploi"} {
		if _, ok := compose.Services[name]; !ok {
			t.Fatalf("service %q missing", name)
		}
	}
	stores := read(t, "../../scripts/stores.sh")
	version := regexp.MustCompile(`FUSEKI_VERSION=(\S+)`).FindStringSubmatch(stores)
	if version == nil {
		t.Fatal("scripts/stores.sh: no FUSEKI_VERSION")
	}
	dockerfile := read(t, "../../"+compose.Services["fuseki"].Build.Dockerfile)
	if !strings.Contains(dockerfile, "jena-fuseki-server:"+version[1]) {
		t.Errorf("fuseki image is not built from jena-fuseki-server %s like scripts/stores.sh", version[1])
	}
	// The container's config is the TDB2 template of the scripts with its two slots filled.
	tmpl := read(t, "../../scripts/fuseki/openemploi-tdb2.ttl")
	want := strings.NewReplacer("@LOCATION@", "/fuseki/databases/openemploi", "@QUERY_TIMEOUT@", "30000,120000").Replace(tmpl)
	got := read(t, "../../scripts/docker/fuseki-config.ttl")
	if i := strings.Index(got, "\n"); strings.HasPrefix(got, "# Generated") && i >= 0 {
		got = got[i+1:]
	}
	if got != want {
		t.Errorf("scripts/docker/fuseki-config.ttl is not scripts/fuseki/openemploi-tdb2.ttl filled in: regenerate it")
	}
	for _, svc := range []string{"import", "openemploi"} {
		env := compose.Services[svc].Environment
		if env["OPENEMPLOI_STORE"] != "http://fuseki:3030/openemploi" || env["OPENEMPLOI_STORE_PRESET"] != "fuseki" {
			t.Errorf("%s: store settings %v, want the fuseki preset on dataset /openemploi", svc, env)
		}
	}
	if c := compose.Services["openemploi"].DependsOn["import"].Condition; c != "service_completed_successfully" {
		t.Errorf("openemploi starts before the import completes (condition %q)", c)
	}
	if c := compose.Services["import"].DependsOn["fuseki"].Condition; c != "service_healthy" {
		t.Errorf("import starts before Fuseki is healthy (condition %q)", c)
	}
	if _, ok := compose.Volumes["tdb2"]; !ok {
		t.Error("no tdb2 volume")
	}
	// Every command the compose file runs must exist in the binary.
	for name, svc := range compose.Services {
		args := svc.Command
		if svc.Healthcheck != nil && len(svc.Healthcheck.Test) > 2 && svc.Healthcheck.Test[1] == "/usr/local/bin/openemploi" {
			args = svc.Healthcheck.Test[2:]
		}
		if name == "fuseki" || len(args) == 0 {
			continue
		}
		root := newRootForTest()
		if _, _, err := root.Find(args); err != nil {
			t.Errorf("%s runs %v: %v", name, args, err)
		}
	}
}
