// Browser-side state. The project (métiers, zones, current situation) may be
// shared in a link; the profile (skills, income, spouse) is personal: it lives
// in sessionStorage only, is never put in a URL and leaves the browser only
// in the body of POST /api/diagnostic.
import { useEffect, useState } from 'preact/hooks';
import type { Diagnostic, Profile, Project } from './api';

export const MAX_METIERS = 4;
export const MAX_ZONES = 4;

const PROJECT_KEY = 'oe360.project';
const PROFILE_KEY = 'oe360.profile';

function load<T>(key: string, fallback: T): T {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? { ...fallback, ...JSON.parse(raw) } : fallback;
  } catch {
    return fallback;
  }
}

function save(key: string, v: unknown) {
  try {
    sessionStorage.setItem(key, JSON.stringify(v));
  } catch {
    /* storage disabled (private mode): memory only */
  }
}

export const emptyProject = (): Project => ({ metiers: [], zones: [], current: {} });
export const emptyProfile = (): Profile => ({ skills: [], income: {} });

type Listener = () => void;
const listeners = new Set<Listener>();
const emit = () => listeners.forEach((l) => l());

export const store = {
  project: load<Project>(PROJECT_KEY, emptyProject()),
  profile: load<Profile>(PROFILE_KEY, emptyProfile()),
  diagnostic: null as Diagnostic | null,
  diagnosticKey: '',
  zonesIndex: new Map<string, string>(),
  setProject(p: Project) {
    this.project = p;
    save(PROJECT_KEY, p);
    emit();
  },
  setProfile(p: Profile) {
    this.profile = p;
    save(PROFILE_KEY, p);
    emit();
  },
  setDiagnostic(d: Diagnostic | null, key: string) {
    this.diagnostic = d;
    this.diagnosticKey = key;
    emit();
  },
  setZones(z: Map<string, string>) {
    this.zonesIndex = z;
    emit();
  },
};

/** useStore re-renders the calling component whenever the store changes. */
export function useStore() {
  const [, tick] = useState(0);
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return store;
}

export function hasProfile(p: Profile): boolean {
  return (
    p.skills.length > 0 ||
    Object.values(p.income).some((v) => typeof v === 'number') ||
    !!p.spouseMetier
  );
}

// --- share link: project only -------------------------------------------

/** shareQuery encodes the project, and only the project, as query parameters. */
export function shareQuery(p: Project): string {
  const q = new URLSearchParams();
  p.metiers.forEach((m) => q.append('metier', m.code));
  p.zones.forEach((z) => q.append('zone', z));
  if (p.current.metier) q.set('actuel_metier', p.current.metier.code);
  if (p.current.zone) q.set('actuel_zone', p.current.zone);
  return q.toString();
}

const codeRe = /^[A-Za-z0-9]{1,12}$/;

/** projectFromQuery reads a shared link back; unknown or malformed values are dropped. */
export function projectFromQuery(q: URLSearchParams): Project | null {
  const metiers = q.getAll('metier').filter((c) => codeRe.test(c)).slice(0, MAX_METIERS);
  const zones = q.getAll('zone').filter((c) => codeRe.test(c)).slice(0, MAX_ZONES);
  if (!metiers.length && !zones.length) return null;
  const p: Project = { metiers: metiers.map((code) => ({ code, label: code })), zones, current: {} };
  const cm = q.get('actuel_metier');
  const cz = q.get('actuel_zone');
  if (cm && codeRe.test(cm)) p.current.metier = { code: cm, label: cm };
  if (cz && codeRe.test(cz)) p.current.zone = cz;
  return p;
}

// --- routing (hash based so the Go handler serves one page) ---------------

export type Route = { screen: 'projet' | 'diagnostic' | 'export' | 'impression'; query: URLSearchParams };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [path, qs] = h.split('?');
  const screen = (['projet', 'diagnostic', 'export', 'impression'] as const).find((s) => s === path) || 'projet';
  return { screen, query: new URLSearchParams(qs || '') };
}

export function useRoute(): Route {
  const [r, setR] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setR(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return r;
}
