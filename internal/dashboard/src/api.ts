// Client of the Open Emploi 360 JSON-LD API (doc/api.md). Only fields the
// dashboard reads are typed; everything is optional because the dashboard
// must stay honest when a figure or a block is missing.

/** A sourced figure. `value: null` means missing, never zero. */
export interface Figure {
  value: number | null;
  unit?: string;
  period?: string;
  n?: number;
  source?: string;
  note?: string;
}

export interface MetierHit {
  '@id': string;
  code: string;
  label: string;
  matchedAppellation?: string;
  executive?: boolean;
}

export interface Zone {
  '@id': string;
  code: string;
  label: string;
  population?: number | Figure;
}

export interface Source {
  '@id': string;
  title?: string;
  publisher?: string;
  license?: string;
  modified?: string;
  triples?: number;
  synthetic?: boolean;
}

export interface Light {
  axis: string;
  color: 'green' | 'amber' | 'red' | 'unknown' | string;
  rule?: string;
  inputs?: Record<string, unknown>;
  thresholds?: Record<string, unknown>;
  explanation?: string;
}

export interface SkillRef {
  '@id'?: string;
  code?: string;
  label: string;
  /** the profile's level 1–5, on owned skills */
  level?: number;
  /** savoir-faire, savoir-etre or savoir (doc/api.md: skillKind, JSON-LD oep:skillKind) */
  skillKind?: 'savoir-faire' | 'savoir-etre' | 'savoir' | string;
  skillCategory?: string;
}

export interface Training {
  '@id'?: string;
  name: string;
  start?: string;
  communeName?: string;
  providerName?: string;
  formacode?: string;
  /** IRIs of the métiers (or skills) the session prepares for */
  covers?: (SkillRef | string)[];
  source?: string;
}

export interface Share {
  code?: string;
  label?: string;
  offers?: number;
  share?: Figure | null;
}

export interface Company {
  '@id'?: string;
  name: string;
  naf?: string;
  offers?: number;
  why?: string;
  source?: string;
}

export interface Cell {
  metier: string;
  zone: string;
  market?: {
    offersByMonth?: Figure[];
    /** mean offers per month over the last three months */
    offersPerMonth?: Figure;
    trend?: Figure;
    contracts?: Share[];
    experience?: Share[];
    topCompanies?: Company[];
    topMetiers?: { '@id'?: string; code?: string; label: string; offers?: number }[];
  };
  salary?: { median?: Figure; q1?: Figure; q3?: Figure; vsWished?: string | null };
  tension?: { indicator?: Figure; components?: Record<string, Figure>; bassins?: string[] } | null;
  skills?: { owned?: SkillRef[]; missing?: SkillRef[]; match?: Figure } | null;
  trainings?: Training[];
  companies?: Company[];
  spouseMarket?: Figure;
  lights?: Light[];
  score?: number | null;
}

export interface Nearby {
  '@id'?: string;
  code: string;
  label: string;
  mobilityRank?: number;
  overlap?: Figure;
  offersPerMonth?: Figure;
  match?: Figure;
  score?: number;
  via?: string;
}

export interface DiagMetier {
  '@id': string;
  code: string;
  label: string;
  executive?: boolean;
  skills?: { savoirFaire?: SkillRef[]; savoirEtre?: SkillRef[]; savoirs?: SkillRef[] } | null;
  owned?: SkillRef[];
  missing?: SkillRef[];
  match?: Figure;
  nearby?: Nearby[];
}

export interface Amenity {
  family: string;
  per10k?: Figure;
  count?: Figure;
}

export interface Life {
  pricePerSqm?: Figure;
  rentPerSqm?: Figure;
  unemployment?: Figure;
  populationFigure?: Figure;
  amenities?: Amenity[];
  stations?: Figure;
  stationNames?: string[];
}

export interface DiagZone {
  '@id': string;
  code: string;
  label: string;
  population?: number;
  communes?: number;
  life?: Life;
}

export interface Diagnostic {
  '@context'?: unknown;
  '@type'?: string;
  generatedAt?: string;
  dataVersion?: string;
  thresholdsVersion?: string;
  level?: string;
  metiers: DiagMetier[];
  zones: DiagZone[];
  /** the current métier in the current zone, when both are given */
  current?: Cell | null;
  cells: Cell[];
  ranking?: { metier: string; zone: string; score: number | null; reason?: string }[];
  sources?: Source[];
}

export interface Profile {
  skills: { code?: string; label: string; level: number }[];
  income: { current?: number; wishedMin?: number; wishedMax?: number };
  spouseMetier?: { code: string; label: string };
}

export interface Project {
  metiers: { code: string; label: string }[];
  zones: string[];
  current: { metier?: { code: string; label: string }; zone?: string };
}

/** ApiError carries an RFC 9457 problem so the UI can name the field at fault. */
export class ApiError extends Error {
  constructor(
    message: string,
    public status: number,
    public field?: string,
    public type?: string,
  ) {
    super(message);
  }
  /** retryable says whether trying again later may help (store slow or down). */
  get retryable(): boolean {
    return this.status === 0 || this.status === 503 || this.status === 504;
  }
}

// PROBLEM_FR gives a French title to the API's problem types (its details are in English).
const PROBLEM_FR: Record<string, string> = {
  '/problems/invalid-input': 'Saisie invalide',
  '/problems/not-found': 'Introuvable',
  '/problems/too-large': 'Demande trop volumineuse',
  '/problems/unavailable': 'Données momentanément indisponibles, réessayez dans un instant',
  '/problems/internal': 'Erreur interne du service',
};

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { Accept: 'application/ld+json, application/json', ...(init?.headers || {}) } });
  } catch (e) {
    throw new ApiError(`Serveur injoignable (${path}).`, 0);
  }
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    let field: string | undefined;
    let type: string | undefined;
    try {
      const p = await res.json();
      type = p.type;
      const fr = type ? PROBLEM_FR[type] : undefined;
      detail = fr ? (p.detail && type !== '/problems/internal' ? `${fr} (${p.detail})` : fr) : p.detail || p.title || detail;
      field = p.field;
    } catch {
      /* not a problem document: keep the status line */
    }
    throw new ApiError(detail, res.status, field, type);
  }
  return (await res.json()) as T;
}

export function searchMetiers(q: string, signal?: AbortSignal): Promise<{ items: MetierHit[] }> {
  return call(`/api/metiers?q=${encodeURIComponent(q)}`, { signal });
}

export interface Fiche {
  '@id': string;
  code: string;
  label: string;
  skills?: { savoirFaire?: SkillRef[]; savoirEtre?: SkillRef[]; savoirs?: SkillRef[] };
}

export function getMetier(code: string): Promise<Fiche> {
  return call(`/api/metiers/${encodeURIComponent(code)}`);
}

export function listZones(): Promise<{ items: Zone[] }> {
  return call('/api/zones');
}

export function suggestSkills(text: string): Promise<{ items: SkillRef[] }> {
  return call('/api/skills/suggest', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text }),
  });
}

/** diagnosticBody is the POST body; the profile goes here and nowhere else. */
export function diagnosticBody(p: Project, prof: Profile | null): Record<string, unknown> {
  const body: Record<string, unknown> = {
    metiers: p.metiers.map((m) => m.code),
    zones: p.zones,
  };
  const cur: Record<string, string> = {};
  if (p.current.metier) cur.metier = p.current.metier.code;
  if (p.current.zone) cur.zone = p.current.zone;
  if (Object.keys(cur).length) body.current = cur;
  if (prof) {
    const profile: Record<string, unknown> = {};
    if (prof.skills.length) profile.skills = prof.skills.map((s) => (s.code ? { code: s.code, level: s.level } : { label: s.label, level: s.level }));
    const inc: Record<string, number> = {};
    for (const k of ['current', 'wishedMin', 'wishedMax'] as const) {
      const v = prof.income[k];
      if (typeof v === 'number' && Number.isFinite(v)) inc[k] = v;
    }
    if (Object.keys(inc).length) profile.income = inc;
    if (prof.spouseMetier) profile.spouseMetier = prof.spouseMetier.code;
    if (Object.keys(profile).length) body.profile = profile;
  }
  return body;
}

export function postDiagnostic(body: Record<string, unknown>): Promise<Diagnostic> {
  return call('/api/diagnostic', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}
