// Readers of the members issues 10 (skills) and 11 (true, dated figures)
// added to the API. Each is a plain typed read of the generated contract
// (src/api.gen.ts, from internal/api/openapi.json): a renamed member fails
// the type check, so the page and the API keep one vocabulary. The page
// only sees the small view types of this file, in the words it shows.
import type { Cell, DiagMetier, Diagnostic, Figure, SkillRef, Source, Suggestions, Zone } from './api';

/** How the API understood one skill the person typed. */
export interface Resolution {
  typed: string;
  recognised: boolean;
  /** the referential item, when recognised */
  skill?: SkillRef;
  /** the label that matched: the item's own or a synonym */
  matchedLabel?: string;
  /** similarity, 0–1 */
  score: number;
  /** where the item was found: on the target fiche, a neighbouring one, or anywhere in ROME */
  tier?: 'fiche' | 'voisine' | 'referentiel';
  /** the fiche (ROME code) whose item it matched */
  fiche?: string;
  /** why it matched */
  why?: string;
  /** why it did not match, or a caveat */
  note?: string;
  /** a label to try instead, when not recognised */
  suggestion?: string;
}

/** resolutions lists how each typed skill was understood, in the order typed; none is dropped.
 * The API states them on each requested métier (resolved towards the requested fiches);
 * the list is the same on each, so the first métier's is read. */
export function resolutions(d: Diagnostic | undefined): Resolution[] {
  return (d?.metiers?.[0]?.resolutions || []).map((r) => ({
    typed: r.input,
    recognised: r.recognised,
    skill: r.skill,
    matchedLabel: r.matched,
    score: r.score,
    tier: r.tier,
    fiche: r.fiche,
    why: r.why,
    note: r.note,
    suggestion: r.suggestion,
  }));
}

/** TIER_FR says in French where a typed skill was found. */
export const TIER_FR: Record<NonNullable<Resolution['tier']>, string> = {
  fiche: 'sur la fiche du métier',
  voisine: 'sur une fiche voisine',
  referentiel: 'dans le référentiel ROME',
};

/** REPHRASE is the advice shown beside a skill the referential did not recognise. */
export const REPHRASE =
  'Reformulez avec les mots d’une offre ou de la fiche métier (par exemple « gestion de bases de données » plutôt qu’un sigle), ou choisissez la compétence dans la liste de la fiche.';

/** A skill proposed from a CV text, with the words that triggered it. */
export interface Proposal {
  skill: SkillRef;
  /** the CV's own words that state it (or, for an aptitude list, the aptitude) */
  span?: string;
  /** the label found in those words */
  matched?: string;
  score?: number;
}

/** proposals reads the items of POST /api/skills/suggest. */
export function proposals(items: Suggestions['items'] | undefined): Proposal[] {
  return (items || []).map((it) => {
    const { evidence, ...skill } = it;
    return { skill, span: evidence?.excerpt || undefined, matched: evidence?.matched, score: evidence?.score };
  });
}

/** partial lists the fiche's items not owned but sharing their macro-compétence with an owned one. */
export function partial(m: Pick<DiagMetier, 'partial'> | undefined | null): SkillRef[] {
  return m?.partial || [];
}

/** The dates of a source: of the data itself, of its import, and of the refreshes. */
export interface SourceDates {
  /** dct:issued, the date the publisher gives its data */
  issued?: string;
  /** dct:temporal, the period the data covers ("2024-06/2025-01", an open end as "…") */
  temporal?: string;
  /** dct:modified, when it was imported here */
  imported?: string;
  /** GET /api/sources only: when a refresh last checked the source */
  lastChecked?: string;
  /** GET /api/sources only: when a refresh last found new data and imported it */
  lastChanged?: string;
}

export function sourceDates(s: Source): SourceDates {
  const t = s.temporal;
  const temporal = t && (t.start || t.end) ? `${t.start || '…'}/${t.end || '…'}` : undefined;
  return { issued: s.issued, temporal, imported: s.modified, lastChecked: s.lastChecked, lastChanged: s.lastChanged };
}

/** withRefresh adds the refresh dates of GET /api/sources to the diagnostic's sources (same graph IRI). */
export function withRefresh(src: Source[], catalog: Source[] | undefined): Source[] {
  if (!catalog?.length) return src;
  const by = new Map(catalog.map((s) => [s['@id'], s]));
  return src.map((s) => {
    const c = by.get(s['@id']);
    return c ? { ...s, lastChecked: s.lastChecked ?? c.lastChecked, lastChanged: s.lastChanged ?? c.lastChanged } : s;
  });
}

/** isSynthetic says whether a figure, training or company rests wholly or partly on synthetic graphs. */
export function isSynthetic(f: { synthetic?: boolean } | null | undefined): boolean {
  return f?.synthetic === true;
}

/** Axes of a score whose light is known, out of how many. */
export interface Coverage {
  known: number;
  total: number;
}

/** coverage gives the axes a score rests on, as the API counts them; absent on a cell without lights. */
export function coverage(x: Pick<Cell, 'coverage'> | undefined): Coverage | undefined {
  const c = x?.coverage;
  return c ? { known: c.known, total: c.of } : undefined;
}

/** coverageText says it in French: "3/5 axes connus". */
export function coverageText(c: Coverage): string {
  return `${c.known}/${c.total} ${c.known > 1 ? 'axes connus' : 'axe connu'}`;
}

/** Which sessions a cell's trainings are, and up to when the training data runs. */
export type TrainingWindow = NonNullable<Cell['trainingWindow']>;

/** trainingWindow is absent on the region's cells. */
export function trainingWindow(c: Cell | undefined): TrainingWindow | undefined {
  return c?.trainingWindow;
}

/** isPast says whether a listed session has already started (listed only when none is upcoming). */
export function isPast(t: { past?: boolean }): boolean {
  return t.past === true;
}

/** companiesNote is the API's word on a cell's employers (how many, how ranked, or why none). */
export function companiesNote(c: Cell | undefined): string | undefined {
  return c?.companiesNote || undefined;
}

/** Tension's provenance: how the bassins are weighted, and the ROME v3 fiche BMO published for. */
export function tensionNotes(c: Cell | undefined): string[] {
  const t = c?.tension;
  if (!t) return [];
  const out: string[] = [];
  if (t.weightedBy) out.push(`pondération : ${t.weightedBy}`);
  if (t.romeV3Parent) out.push(`publié pour la fiche ROME v3 ${t.romeV3Parent}`);
  return out;
}

/** zoneNote is the caveat on an interregional zone's figures (only its communes of the region count). */
export function zoneNote(z: Zone | undefined): string | undefined {
  if (!z) return undefined;
  if (z.note) return z.note;
  return z.interregional ? 'Zone à cheval sur plusieurs régions : seules ses communes de la région sont comptées.' : undefined;
}

/** extraFigures lists the figures of sections the API added without a member of their own. */
export function extraFigures(c: Cell | undefined): [string, Figure][] {
  return Object.entries(c?.extra || {}).sort(([a], [b]) => a.localeCompare(b));
}
