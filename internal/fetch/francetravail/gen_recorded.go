//go:build ignore

// gen_recorded derives the replayed offers of testdata/recorded/offres.json.gz from the
// bundled real offers (testdata/sample/offres_france_travail): every real offer is
// copied into February, March and April 2025 (4, 3 and 3 copies), with
//   - id: the real id + "R" + month index (1-3) + copy index (0-3), so a derived offer
//     is recognisable and never collides with a real one;
//   - dateCreation: same time of day, day of month shifted by 7 days per copy (wrapping
//     within the month); dateActualisation keeps its distance to dateCreation;
//   - every other field unchanged (place of work, ROME code, pay, employer…).
//
// Département 13 has 122 real offers, so it has 1 220 derived ones over the three
// months: more than the 1 150 the API serves per search, which makes the client split
// its window. Nothing is invented: each derived offer is a real offer moved in time.
//
// Run from this directory: go run gen_recorded.go
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"time"
)

const (
	in  = "../../../testdata/sample/offres_france_travail/offres_paca_2024-06_2025-01.json"
	out = "testdata/recorded/offres.json.gz"
)

var months = []struct {
	start  time.Time
	copies int
}{
	{time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), 4},
	{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 3},
	{time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), 3},
}

const stamp = "2006-01-02T15:04:05.000Z"

func main() {
	b, err := os.ReadFile(in)
	if err != nil {
		log.Fatal(err)
	}
	var offers []map[string]json.RawMessage
	if err := json.Unmarshal(b, &offers); err != nil {
		log.Fatalf("%s: %v", in, err)
	}
	var derived []json.RawMessage
	// Copies of one offer are written next to each other so gzip's window sees them.
	for i, o := range offers {
		var id, created, updated string
		if err := json.Unmarshal(o["id"], &id); err != nil {
			log.Fatalf("offer %d: id: %v", i, err)
		}
		if err := json.Unmarshal(o["dateCreation"], &created); err != nil {
			log.Fatalf("offer %s: dateCreation: %v", id, err)
		}
		c, err := time.Parse(time.RFC3339, created)
		if err != nil {
			log.Fatalf("offer %s: dateCreation: %v", id, err)
		}
		var delta time.Duration
		if raw, ok := o["dateActualisation"]; ok {
			if err := json.Unmarshal(raw, &updated); err == nil {
				if u, err := time.Parse(time.RFC3339, updated); err == nil {
					delta = u.Sub(c)
				}
			}
		}
		tod := c.Sub(time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, time.UTC))
		for mi, m := range months {
			days := m.start.AddDate(0, 1, 0).Sub(m.start).Hours() / 24
			for k := 0; k < m.copies; k++ {
				day := (c.Day() - 1 + 7*k) % int(days)
				nc := m.start.AddDate(0, 0, day).Add(tod)
				d := map[string]json.RawMessage{}
				for key, v := range o {
					d[key] = v
				}
				d["id"] = mustJSON(fmt.Sprintf("%sR%d%d", id, mi+1, k))
				d["dateCreation"] = mustJSON(nc.Format(stamp))
				if delta != 0 {
					d["dateActualisation"] = mustJSON(nc.Add(delta).Format(stamp))
				}
				derived = append(derived, mustJSON(d))
			}
		}
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("[\n"))
	for i, d := range derived {
		if i > 0 {
			zw.Write([]byte(",\n"))
		}
		zw.Write(d)
	}
	zw.Write([]byte("\n]\n"))
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d offers derived from %d real ones, %d bytes\n", out, len(derived), len(offers), buf.Len())
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	return b
}
