// Client of the Open Emploi 360 JSON-LD API (doc/api.md). The wire types are
// generated from the contract, internal/api/openapi.json, into api.gen.ts
// (build.mjs); this file only names them for the page. A member the contract
// does not have does not type-check: `npm run check` fails.
import type { components, operations } from './api.gen';

type Schemas = components['schemas'];
/** Ok is the JSON-LD body of an operation's 200 response. */
type Ok<Op extends keyof operations> = operations[Op] extends { responses: { 200: { content: { 'application/ld+json': infer B } } } } ? B : never;

/** A sourced figure. `value: null` means missing, never zero. */
export type Figure = Schemas['Figure'];
export type MetierHit = Ok<'searchMetiers'>['items'][number];
export type Zone = Schemas['Zone'];
export type Source = Schemas['Source'];
export type Light = Schemas['Light'];
/** A ROME skill; `level` (1–5) only on the profile's owned skills. */
export type SkillRef = Schemas['Skill'];
export type Training = Schemas['Training'];
export type Share = Schemas['Share'];
export type Company = Schemas['Company'];
export type Cell = Schemas['Cell'];
export type Diagnostic = Ok<'postDiagnostic'>;
export type DiagMetier = Diagnostic['metiers'][number];
export type Nearby = DiagMetier['nearby'][number];
export type DiagZone = Diagnostic['zones'][number];
export type Life = Schemas['Life'];
export type Amenity = Life['amenities'][number];
export type Fiche = Ok<'getMetier'>;
export type DiagnosticRequest = Schemas['DiagnosticRequest'];
export type SuggestRequest = Schemas['SuggestRequest'];
export type Suggestions = Ok<'suggestSkills'>;

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

export function searchMetiers(q: string, signal?: AbortSignal): Promise<Ok<'searchMetiers'>> {
  return call(`/api/metiers?q=${encodeURIComponent(q)}`, { signal });
}

export function getMetier(code: string): Promise<Fiche> {
  return call(`/api/metiers/${encodeURIComponent(code)}`);
}

export function listZones(): Promise<Ok<'listZones'>> {
  return call('/api/zones');
}

export function suggestSkills(text: string): Promise<Suggestions> {
  const req: SuggestRequest = { text };
  return call('/api/skills/suggest', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(req),
  });
}

/** diagnosticBody is the POST body; the profile goes here and nowhere else. */
export function diagnosticBody(p: Project, prof: Profile | null): DiagnosticRequest {
  const body: DiagnosticRequest = {
    metiers: p.metiers.map((m) => m.code),
    zones: p.zones,
  };
  const cur: NonNullable<DiagnosticRequest['current']> = {};
  if (p.current.metier) cur.metier = p.current.metier.code;
  if (p.current.zone) cur.zone = p.current.zone;
  if (Object.keys(cur).length) body.current = cur;
  if (prof) {
    const profile: NonNullable<DiagnosticRequest['profile']> = {};
    if (prof.skills.length) profile.skills = prof.skills.map((s) => (s.code ? { code: s.code, level: s.level } : { label: s.label, level: s.level }));
    const inc: NonNullable<typeof profile.income> = {};
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

export function postDiagnostic(body: DiagnosticRequest): Promise<Diagnostic> {
  return call('/api/diagnostic', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}
