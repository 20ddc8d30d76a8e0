package fetch

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/openemploi360/openemploi/internal/fetch/portal"
)

// State is what refresh remembers between runs, in one JSON file (by default
// var/fetch/state.json): per source, when it was last checked and last changed, the
// portal validators of each file, and the checksum of each file last imported. A file
// is imported when its checksum differs from the one recorded here, so a download that
// succeeded but whose import failed is imported on the next run.
type State struct {
	Sources map[string]*SourceState `json:"sources"`
	path    string
}

// SourceState is the state of one catalog source.
type SourceState struct {
	LastChecked time.Time `json:"lastChecked,omitzero"`
	LastChanged time.Time `json:"lastChanged,omitzero"` // last check that imported new data
	LastOutcome string    `json:"lastOutcome,omitempty"`
	LastError   string    `json:"lastError,omitempty"`
	// Validators by URL.
	Validators map[string]portal.Validators `json:"validators,omitempty"`
	// Imported maps a file's base name to the sha256 of the copy last imported.
	Imported map[string]string `json:"imported,omitempty"`
}

// LoadState reads the state file; a missing file is an empty state.
func LoadState(path string) (*State, error) {
	s := &State{Sources: map[string]*SourceState{}, path: path}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("refresh state: %w", err)
	}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("refresh state %s: %w", path, err)
	}
	if s.Sources == nil {
		s.Sources = map[string]*SourceState{}
	}
	return s, nil
}

// Source returns the state of a source, created empty if needed.
func (s *State) Source(name string) *SourceState {
	st := s.Sources[name]
	if st == nil {
		st = &SourceState{}
		s.Sources[name] = st
	}
	if st.Validators == nil {
		st.Validators = map[string]portal.Validators{}
	}
	if st.Imported == nil {
		st.Imported = map[string]string{}
	}
	return st
}

// Save writes the state through a temporary file and a rename.
func (s *State) Save() error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return fmt.Errorf("refresh state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".state-*.json")
	if err != nil {
		return fmt.Errorf("refresh state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("refresh state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("refresh state: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("refresh state: %w", err)
	}
	return nil
}

// Due reports whether a source on schedule is to be checked at now: never checked, or
// checked at least a period ago (a day, a week, a calendar month). A little slack (one
// hour) keeps a daily timer that fires a few seconds early from skipping a day.
func Due(schedule string, last, now time.Time) bool {
	if last.IsZero() {
		return true
	}
	var next time.Time
	switch schedule {
	case "daily":
		next = last.Add(24 * time.Hour)
	case "weekly":
		next = last.Add(7 * 24 * time.Hour)
	default: // monthly
		next = last.AddDate(0, 1, 0)
	}
	return !now.Before(next.Add(-time.Hour))
}
