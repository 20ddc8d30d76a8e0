package mappings

import _ "embed"

// SkillsSynonyms is skills-synonyms.ttl, the steward-edited SKOS vocabulary of what
// people write about their skills (internal/skills reads it; doc/skills.md says how to
// extend it). It is Turtle data, not an RML mapping: the catalog does not list it.
//
//go:embed skills-synonyms.ttl
var SkillsSynonyms []byte

// SkillsSynonymsIssued is the date of this release of skills-synonyms.ttl: dct:issued
// of graph oeg:skills-synonyms when `openemploi ontology load` loads it. Change it with
// the file.
const SkillsSynonymsIssued = "2026-12-05"
