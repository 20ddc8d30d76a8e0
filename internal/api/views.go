package api

import (
	"github.com/openemploi360/openemploi/internal/diagnostic"
)

// The JSON shapes of the API. They are compact JSON-LD under the published context
// (/context.jsonld): "@id" and "@type" are IRIs and classes, every other key a term of
// the context. Domain types stay free of these concerns; this file maps them.

type metierView struct {
	Context      string            `json:"@context,omitempty"`
	ID           string            `json:"@id"`
	Type         string            `json:"@type"`
	Code         string            `json:"code"`
	Label        string            `json:"label"`
	Executive    *bool             `json:"executive,omitempty"`
	Appellations []appellationView `json:"appellations"`
	Skills       *skillGroupsView  `json:"skills,omitempty"`
	Mobilities   []mobilityView    `json:"mobilities"`
	Source       string            `json:"source,omitempty"`
}

type appellationView struct {
	ID         string `json:"@id"`
	Type       string `json:"@type"`
	Code       string `json:"code"`
	Label      string `json:"label"`
	ShortLabel string `json:"shortLabel,omitempty"`
	Executive  *bool  `json:"executive,omitempty"`
}

type skillView struct {
	ID       string `json:"@id"`
	Type     string `json:"@type,omitempty"`
	Code     string `json:"code"`
	Label    string `json:"label"`
	Kind     string `json:"skillKind,omitempty"`
	Category string `json:"skillCategory,omitempty"`
	Level    *int   `json:"level,omitempty"`
}

// skillGroupsView nests the fiche's oep:skill links by kind (JSON-LD @nest: the
// grouping adds no triples).
type skillGroupsView struct {
	SavoirFaire []skillView `json:"savoirFaire"`
	SavoirEtre  []skillView `json:"savoirEtre"`
	Savoirs     []skillView `json:"savoirs"`
}

type mobilityView struct {
	ID    string `json:"@id"`
	Type  string `json:"@type"`
	Code  string `json:"code"`
	Label string `json:"label"`
	Rank  int    `json:"mobilityRank,omitempty"`
}

func skillGroups(skills []diagnostic.Skill) *skillGroupsView {
	g := &skillGroupsView{SavoirFaire: []skillView{}, SavoirEtre: []skillView{}, Savoirs: []skillView{}}
	for _, s := range skills {
		v := skillView{ID: s.IRI, Type: "Skill", Code: s.Code, Label: s.Label, Kind: s.Kind, Category: s.Category}
		switch s.Kind {
		case diagnostic.SavoirFaire:
			g.SavoirFaire = append(g.SavoirFaire, v)
		case diagnostic.SavoirEtre:
			g.SavoirEtre = append(g.SavoirEtre, v)
		default:
			g.Savoirs = append(g.Savoirs, v)
		}
	}
	return g
}

func newMetierView(m *diagnostic.Metier) metierView {
	v := metierView{
		ID: m.IRI, Type: "Occupation", Code: m.Code, Label: m.Label, Executive: m.Executive,
		Appellations: []appellationView{}, Mobilities: []mobilityView{}, Skills: skillGroups(m.Skills),
		Source: m.Graph,
	}
	for _, a := range m.Appellations {
		v.Appellations = append(v.Appellations, appellationView{ID: a.IRI, Type: "Appellation", Code: a.Code, Label: a.Label, ShortLabel: a.ShortLabel, Executive: a.Executive})
	}
	for _, mo := range m.Mobilities {
		v.Mobilities = append(v.Mobilities, mobilityView{ID: mo.IRI, Type: "Occupation", Code: mo.Code, Label: mo.Label, Rank: mo.Rank})
	}
	return v
}
