// Members that issues 10 (skills) and 11 (true, dated figures) add to the API,
// read before internal/api/openapi.json names them. Each reader below takes a
// value of a generated type, looks for the member under the name assumed here
// and checks its shape; the page only sees the small view types of this file.
// When the contract gains a member, its reader becomes a plain typed read
// (and the name, if it differs, changes in one place: the NAMES table).
import type { Cell, DiagMetier, Diagnostic, Figure, Light, SkillRef, Source } from './api';

/**
 * NAMES are the assumed member names, one line each; where the domain types
 * of the other branches suggest more than one spelling, every candidate is
 * listed, the first preferred.
 */
export const NAMES = {
  /** on a diagnostic métier: one entry per skill the profile typed (issue 10.3) */
  resolutions: ['resolutions'],
  /** on a resolution: the text the person typed */
  typed: ['input'],
  /** on a resolution: whether it matched an item of the referential */
  recognised: ['recognised'],
  /** on a resolution: the referential item it matched */
  skill: ['skill', 'item'],
  /** on a resolution or a proposal: the label that matched (the item's own or a synonym) */
  matchedLabel: ['matchedLabel', 'matched'],
  /** on a resolution or a proposal: the match score, 0–1 */
  score: ['score'],
  /** on a resolution: why it matched */
  why: ['why'],
  /** on a resolution: why it did not match (French) */
  note: ['note'],
  /** on a resolution: a label to try instead, when not recognised */
  suggestion: ['suggestion'],
  /** on a proposal from a CV: the text span that triggered it (issue 10.4) */
  span: ['excerpt', 'matchedText'],
  /** on a diagnostic métier: the fiche's items owned at a lower level than asked (issue 10.5) */
  partial: ['partial'],
  /** on a source: the data's own date, dct:issued (issue 11.9) */
  issued: ['issued'],
  /** on a source: the period the data covers, dct:temporal (issue 11.9) */
  temporal: ['temporal'],
  /** in a period object: its ends */
  from: ['from', 'start', 'startDate'],
  to: ['to', 'end', 'endDate'],
  /** on a figure: computed wholly or partly from synthetic graphs (issue 11.11) */
  synthetic: ['synthetic'],
  /** on a cell and a ranking entry: axes known out of all (issue 11.10) */
  coverage: ['coverage'],
  known: ['known'],
  total: ['of', 'total'],
  /** on a cell: which sessions the trainings list and up to when the data runs (issue 11.2) */
  trainingWindow: ['trainingWindow'],
  until: ['until', 'to'],
  dataUntil: ['dataUntil'],
  recent: ['recent'],
  /** on a training: a session already started (listed when none is upcoming) */
  past: ['past'],
  /** on a cell: how employers are ranked, or why there is none (issue 11.3) */
  companiesNote: ['companiesNote'],
} as const;

/** get reads the first of the candidate names o has. */
const get = (o: unknown, names: readonly string[] | string): unknown => {
  if (!o || typeof o !== 'object') return undefined;
  const r = o as Record<string, unknown>;
  for (const k of typeof names === 'string' ? [names] : names) if (k in r) return r[k];
  return undefined;
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const numv = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function skillOf(v: unknown): SkillRef | undefined {
  const label = str(get(v, 'label'));
  const code = str(get(v, 'code'));
  const id = str(get(v, '@id'));
  if (!label || !code || !id) return undefined;
  return { '@id': id, code, label, skillKind: str(get(v, 'skillKind')), skillCategory: str(get(v, 'skillCategory')), level: numv(get(v, 'level')) };
}

/** How the API understood one skill the person typed. */
export interface Resolution {
  typed: string;
  recognised: boolean;
  /** the referential item, when recognised */
  skill?: SkillRef;
  matchedLabel?: string;
  score?: number;
  /** why it matched, or (not recognised) the API's note */
  why?: string;
  /** a label to try instead, when not recognised */
  suggestion?: string;
}

/** resolutions lists how each typed skill was understood for a métier; [] when the API does not say. */
export function resolutions(m: DiagMetier | undefined): Resolution[] {
  const list = get(m, NAMES.resolutions);
  if (!Array.isArray(list)) return [];
  const out: Resolution[] = [];
  for (const r of list) {
    const skill = skillOf(get(r, NAMES.skill));
    const typed = str(get(r, NAMES.typed)) || skill?.label;
    if (!typed) continue;
    const rec = get(r, NAMES.recognised);
    out.push({
      typed,
      recognised: typeof rec === 'boolean' ? rec : !!skill,
      skill,
      matchedLabel: str(get(r, NAMES.matchedLabel)),
      score: numv(get(r, NAMES.score)),
      why: str(get(r, NAMES.why)) || str(get(r, NAMES.note)),
      suggestion: str(get(r, NAMES.suggestion)),
    });
  }
  return out;
}

/** REPHRASE is the advice shown beside a skill the referential did not recognise. */
export const REPHRASE =
  'Reformulez avec les mots d’une offre ou de la fiche métier (par exemple « gestion de bases de données » plutôt qu’un sigle), ou choisissez la compétence dans la liste de la fiche.';

/** A skill proposed from a CV text, with the words that triggered it. */
export interface Proposal {
  skill: SkillRef;
  span?: string;
  score?: number;
}

/** proposals reads the items of POST /api/skills/suggest. */
export function proposals(items: unknown): Proposal[] {
  if (!Array.isArray(items)) return [];
  const out: Proposal[] = [];
  for (const it of items) {
    // the item itself (a Skill with extra members) or a Skill under NAMES.skill
    const skill = skillOf(it) || skillOf(get(it, NAMES.skill));
    if (!skill) continue;
    out.push({ skill, span: str(get(it, NAMES.span)) || str(get(it, NAMES.matchedLabel)), score: numv(get(it, NAMES.score)) });
  }
  return out;
}

/** partial lists the fiche's items the profile owns at a lower level than the métier asks. */
export function partial(m: DiagMetier | undefined): SkillRef[] {
  const list = get(m, NAMES.partial);
  return Array.isArray(list) ? (list.map(skillOf).filter(Boolean) as SkillRef[]) : [];
}

/** The two dates of a source: of the data itself, and of its import. */
export interface SourceDates {
  /** dct:issued, the date the publisher gives its data */
  issued?: string;
  /** dct:temporal, the period the data covers, as sent ("2024-01/2025-01") */
  temporal?: string;
  /** dct:modified, when it was imported here */
  imported?: string;
}

export function sourceDates(s: Source): SourceDates {
  const t = get(s, NAMES.temporal);
  let temporal = str(t);
  if (!temporal && t && typeof t === 'object') {
    const a = str(get(t, NAMES.from));
    const b = str(get(t, NAMES.to));
    if (a || b) temporal = `${a || '…'}/${b || '…'}`;
  }
  return { issued: str(get(s, NAMES.issued)), temporal, imported: s.modified };
}

/** isSynthetic says whether a figure was computed wholly or partly from synthetic graphs. */
export function isSynthetic(f: Figure | null | undefined): boolean {
  return get(f, NAMES.synthetic) === true;
}

/** Axes of a score whose light is known, out of how many. */
export interface Coverage {
  known: number;
  total: number;
  /** true when the API said it; false when counted here from the cell's lights */
  fromApi: boolean;
}

/**
 * coverage gives the axes behind a score: the API's when it sends it,
 * otherwise the cell's lights that are not "unknown" (the same rule).
 */
export function coverage(x: Cell | Diagnostic['ranking'][number] | undefined, fallbackLights?: Light[]): Coverage | undefined {
  const c = get(x, NAMES.coverage);
  const known = numv(get(c, NAMES.known));
  const total = numv(get(c, NAMES.total));
  if (known !== undefined && total !== undefined) return { known, total, fromApi: true };
  const lights = fallbackLights || (get(x, 'lights') as Light[] | undefined);
  if (!Array.isArray(lights) || !lights.length) return undefined;
  return { known: lights.filter((l) => l.color !== 'unknown').length, total: lights.length, fromApi: false };
}

/** coverageText says it in French: "3/5 axes connus". */
export function coverageText(c: Coverage): string {
  return `${c.known}/${c.total} ${c.known > 1 ? 'axes connus' : 'axe connu'}`;
}

/** Which sessions a cell's trainings are, and up to when the training data runs. */
export interface TrainingWindow {
  from?: string;
  until?: string;
  /** latest session start in the training data */
  dataUntil?: string;
  /** no session is upcoming: the list shows the latest past ones */
  recent: boolean;
  note?: string;
}

export function trainingWindow(c: Cell | undefined): TrainingWindow | undefined {
  const w = get(c, NAMES.trainingWindow);
  if (!w || typeof w !== 'object') return undefined;
  return {
    from: str(get(w, NAMES.from)),
    until: str(get(w, NAMES.until)),
    dataUntil: str(get(w, NAMES.dataUntil)),
    recent: get(w, NAMES.recent) === true,
    note: str(get(w, NAMES.note)),
  };
}

/** isPast says whether a listed session has already started. */
export function isPast(t: unknown): boolean {
  return get(t, NAMES.past) === true;
}

/** companiesNote is the API's word on a cell's employers (how ranked, or why none). */
export function companiesNote(c: Cell | undefined): string | undefined {
  return str(get(c, NAMES.companiesNote));
}
