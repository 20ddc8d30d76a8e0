package vocab

import "testing"

func TestCodeRoundTrip(t *testing.T) {
	tests := []struct {
		name, kind, code string
	}{
		{"metier", KindMetier, "M1811"},
		{"zone", KindZone, "9312"},
		{"commune", KindCommune, "13055"},
		{"item", KindItem, "100123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Code(tt.kind, IRI(tt.kind, tt.code))
			if !ok || got != tt.code {
				t.Fatalf("Code(%q, IRI) = %q, %v; want %q, true", tt.kind, got, ok, tt.code)
			}
		})
	}
}

func TestCodeRefusesOtherKinds(t *testing.T) {
	for _, iri := range []string{Zone("9312"), ID + "rome/", "http://example.org/rome/M1811", ""} {
		if c, ok := Code(KindMetier, iri); ok {
			t.Errorf("Code(rome, %q) = %q, true; want false", iri, c)
		}
	}
	if c, ok := MetierCode(MetierV3("M1805")); !ok || c != "M1805" {
		t.Errorf("MetierCode(v3) = %q, %v", c, ok)
	}
}

func TestGraphs(t *testing.T) {
	if g := Graph("offres-ft", "2024-06"); g != GraphNS+"offres-ft/2024-06" {
		t.Errorf("Graph = %q", g)
	}
	if g := Graph("rome4"); g != GraphNS+"rome4" {
		t.Errorf("Graph = %q", g)
	}
	if s := GraphSource(Graph("offres-ft", "2024-06")); s != "offres-ft" {
		t.Errorf("GraphSource = %q", s)
	}
	if s := GraphSource("http://example.org/g"); s != "" {
		t.Errorf("GraphSource(foreign) = %q", s)
	}
	for _, g := range []string{MetaGraph, DerivedGraph, OntologyGraph, StagingPrefix + "x"} {
		if !IsReserved(g) {
			t.Errorf("IsReserved(%q) = false", g)
		}
	}
	if IsReserved(Graph("rome4")) {
		t.Error("IsReserved(rome4) = true")
	}
	if RegionIRI != ID+"region/93" {
		t.Errorf("RegionIRI = %q", RegionIRI)
	}
}

func TestVersionGraph(t *testing.T) {
	tests := []struct {
		name, iri, logical, run string
		ok                      bool
	}{
		{"Fixed", VersionGraph(Graph("rome4"), "20260101T000000Z-ab"), Graph("rome4"), "20260101T000000Z-ab", true},
		{"Partitioned", VersionGraph(Graph("offres-ft", "2024-06"), "r1"), Graph("offres-ft", "2024-06"), "r1", true},
		{"Logical", Graph("offres-ft", "2024-06"), "", "", false},
		{"NoRun", Graph("rome4") + VersionSep, "", "", false},
		{"RunWithSlash", Graph("rome4") + VersionSep + "a/b", "", "", false},
		{"NotOurs", "http://example.org/graph/x/v/r1", "", "", false},
		{"NoLogical", GraphNS + "v/r1", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, r, ok := VersionOf(tt.iri)
			if l != tt.logical || r != tt.run || ok != tt.ok {
				t.Fatalf("VersionOf(%q) = %q, %q, %v; want %q, %q, %v", tt.iri, l, r, ok, tt.logical, tt.run, tt.ok)
			}
		})
	}
}

func TestDerivedMonthGraph(t *testing.T) {
	g := DerivedMonthGraph("offres-ft", "2025-01")
	if g != GraphNS+"derived/offres-ft/2025-01" || !IsDerived(g) || !IsReserved(g) {
		t.Fatalf("DerivedMonthGraph = %s (derived %v, reserved %v)", g, IsDerived(g), IsReserved(g))
	}
	for _, tc := range []struct {
		iri, source, month string
		ok                 bool
	}{
		{g, "offres-ft", "2025-01", true},
		{VersionGraph(g, "20261205T090000Z-abc"), "offres-ft", "2025-01", true},
		{DerivedGraph, "", "", false},
		{DerivedPrefix + "offres-ft", "", "", false},
		{DerivedPrefix + "offres-ft/2025-01/x", "", "", false},
		{Graph("offres-ft", "2025-01"), "", "", false},
	} {
		s, m, ok := DerivedOf(tc.iri)
		if s != tc.source || m != tc.month || ok != tc.ok {
			t.Errorf("DerivedOf(%s) = %q %q %v, want %q %q %v", tc.iri, s, m, ok, tc.source, tc.month, tc.ok)
		}
	}
	if IsDerived(Graph("offres-ft", "2025-01")) {
		t.Error("an offers partition is not derived")
	}
}
