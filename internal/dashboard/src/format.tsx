// French formatting of figures and the source tooltip every figure carries.
import type { ComponentChildren } from 'preact';
import type { Figure, Source } from './api';
import { isSynthetic, sourceDates } from './next';

export const MISSING = 'donnée indisponible';

const nf = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const nf0 = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const nf2 = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

export function isNum(f: Figure | null | undefined): f is Figure & { value: number } {
  return !!f && typeof f.value === 'number' && Number.isFinite(f.value);
}

/** plural follows French usage: singular below 2 (0,5 offre, 1 offre, 2 offres). */
export const plural = (v: number, word: string) => (Math.abs(v) < 2 ? word : `${word}s`);

const unitText: Record<string, (v: number) => string> = {
  'EUR/month': (v) => `${nf0.format(v)} €/mois`,
  'EUR/year': (v) => `${nf0.format(v)} €/an`,
  'EUR/m2': (v) => `${nf0.format(v)} €/m²`,
  'EUR/m2/month': (v) => `${nf.format(v)} €/m²/mois`,
  EUR: (v) => `${nf0.format(v)} €`,
  percent: (v) => `${nf.format(v)} %`,
  '%': (v) => `${nf.format(v)} %`,
  ratio: (v) => nf2.format(v),
  fraction: (v) => `${nf.format(v * 100)} %`,
  share: (v) => `${nf.format(v * 100)} %`,
  offers: (v) => `${nf0.format(v)} ${plural(v, 'offre')}`,
  'offers/month': (v) => `${nf.format(v)} ${plural(v, 'offre')}/mois`,
  'offers/year': (v) => `${nf0.format(v)} ${plural(v, 'offre')}/an`,
  offer: (v) => `${nf0.format(v)} ${plural(v, 'offre')}`,
  people: (v) => `${nf0.format(v)} hab.`,
  inhabitants: (v) => `${nf0.format(v)} hab.`,
  count: (v) => nf0.format(v),
  per10k: (v) => `${nf.format(v)} pour 10 000 hab.`,
  'per 10000 inhabitants': (v) => `${nf.format(v)} pour 10 000 hab.`,
  amenities: (v) => `${nf0.format(v)} ${plural(v, 'équipement')}`,
  stations: (v) => `${nf0.format(v)} ${plural(v, 'gare')}`,
  index: (v) => nf2.format(v),
};

/** fmt renders a figure in French; missing data is said, never shown as 0. */
export function fmt(f: Figure | null | undefined): string {
  if (!isNum(f)) return MISSING;
  const u = f.unit ? unitText[f.unit] : undefined;
  if (u) return u(f.value);
  return f.unit ? `${nf.format(f.value)} ${f.unit}` : nf.format(f.value);
}

export function num(v: number | null | undefined, digits = 1): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return MISSING;
  return new Intl.NumberFormat('fr-FR', { maximumFractionDigits: digits }).format(v);
}

// SKILL_KIND_FR names the ROME skill kinds (the API's skillKind) as the fiche does.
const SKILL_KIND_FR: Record<string, string> = { 'savoir-faire': 'savoir-faire', 'savoir-etre': 'savoir-être', savoir: 'savoir' };

/** skillKindFr gives the French name of a skill kind; an unknown kind is shown as sent, none as ''. */
export function skillKindFr(kind?: string): string {
  return kind ? SKILL_KIND_FR[kind] || kind : '';
}

export function dateFr(s?: string): string {
  if (!s) return 'date inconnue';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleDateString('fr-FR', { year: 'numeric', month: 'long', day: 'numeric' });
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** periodFr says an ISO 8601 period ("2024-01/2025-01", "2024", "2024-03-01/2024-06-30") in French. */
export function periodFr(p: string): string {
  const one = (x: string) => {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(x.trim());
    if (!m) return x.trim();
    if (m[3]) return dateFr(x.trim());
    if (m[2]) return `${MONTHS[Number(m[2]) - 1] || m[2]} ${m[1]}`;
    return m[1];
  };
  const [a, b] = p.split('/');
  if (b === undefined) return one(a);
  return `de ${one(a)} à ${one(b)}`;
}

/** Sources resolves a graph IRI to its metadata (sent once per diagnostic). */
export type Sources = Map<string, Source>;

/** licenceName turns a licence IRI into the name people know. */
export function licenceName(l: string): string {
  if (/licence-ouverte|open-licence|etalab/i.test(l)) return 'Licence Ouverte (Etalab)';
  if (/odbl/i.test(l)) return 'ODbL';
  if (/creativecommons\.org\/licenses\/by\//i.test(l)) return 'CC BY';
  if (/^https?:\/\//.test(l)) {
    try {
      return `conditions de ${new URL(l).hostname.replace(/^www\./, '')}`;
    } catch {
      return l;
    }
  }
  return l;
}

/** graphPath is the path under which our own server describes a graph (GET /graph/{name}). */
export function graphPath(iri: string): string | null {
  const i = iri.indexOf('/graph/');
  return i >= 0 ? iri.slice(i) : null;
}

export function sourceText(iri: string | undefined, sources: Sources): string {
  if (!iri) return 'Source non précisée';
  const s = sources.get(iri);
  if (!s && iri.endsWith('/graph/derived')) {
    // doc/vocabulary.md: oeg:derived holds the aggregates computed at import from the
    // offers graphs (oeg:offres-{source}/{month}); say which publishers they come from.
    const offers = [...sources.values()].filter((x) => /\/graph\/offres-/.test(x['@id']));
    const pubs = [...new Set(offers.map((x) => x.publisher).filter(Boolean))];
    const last = offers.map((x) => x.modified || '').sort().pop();
    const synth = offers.some((x) => x.synthetic) ? ' — dont données synthétiques (démonstration)' : '';
    return (
      `Source : agrégats calculés à l'import par Open Emploi 360 à partir des offres d'emploi` +
      (pubs.length ? ` publiées par ${pubs.join(', ')}` : '') +
      (last ? `, mises à jour le ${dateFr(last)}` : '') +
      `${synth}. Graphe : ${iri}`
    );
  }
  if (!s) return `Source : graphe ${iri} (non décrit dans le catalogue des sources)`;
  const parts = [`Source : ${s.title || iri}`];
  if (s.publisher) parts.push(s.publisher);
  const dates = sourceDates(s);
  if (dates.issued) parts.push(`données du ${dateFr(dates.issued)}${dates.temporal ? ` (période ${periodFr(dates.temporal)})` : ''}`);
  else if (dates.temporal) parts.push(`période ${periodFr(dates.temporal)}`);
  if (s.modified) parts.push(`${dates.issued || dates.temporal ? 'importé' : 'mis à jour'} le ${dateFr(s.modified)}`);
  if (s.license) {
    const l = licenceName(s.license);
    parts.push(/^licen[cs]e/i.test(l) ? l : `licence : ${l}`);
  }
  let t = parts.join(' — ');
  if (s.synthetic) t += ' — données synthétiques (démonstration)';
  return `${t}. Graphe : ${iri}`;
}

let tipSeq = 0;

/**
 * place puts a figure's tooltip next to it in viewport coordinates. The
 * tooltip is position: fixed so that scrolling table containers do not clip
 * it, and it is kept inside the screen (figures near a phone's edge).
 */
function placeTip(fig: HTMLElement) {
  const tip = fig.querySelector<HTMLElement>('.tip');
  if (!tip) return;
  const fr = fig.getBoundingClientRect();
  const tr = tip.getBoundingClientRect();
  if (!tr.width) return; // not shown (yet)
  const vw = document.documentElement.clientWidth;
  const left = Math.max(8, Math.min(fr.left + fr.width / 2 - tr.width / 2, vw - 8 - tr.width));
  let top = fr.top - tr.height - 8;
  if (top < 8) top = fr.bottom + 8; // no room above: below
  tip.style.left = `${Math.round(left)}px`;
  tip.style.top = `${Math.round(top)}px`;
}

function place(e: Event) {
  const fig = e.currentTarget as HTMLElement;
  placeTip(fig);
  requestAnimationFrame(() => placeTip(fig));
}

// A focused figure keeps its tooltip while the page scrolls: follow it.
// (Guarded so the module also loads in node for the unit tests.)
if (typeof addEventListener === 'function')
  addEventListener(
  'scroll',
  () => {
    const a = document.activeElement as HTMLElement | null;
    if (a?.classList.contains('fig')) placeTip(a);
  },
  { passive: true, capture: true },
);

/**
 * Fig shows a figure with its source in a tooltip bound to hover and to
 * keyboard focus (the tooltip is also the accessible description).
 */
export function Fig(props: { f: Figure | null | undefined; sources: Sources; label?: string; testid?: string; children?: ComponentChildren }) {
  const { f, sources } = props;
  const id = `tip-${++tipSeq}`;
  const missing = !isNum(f);
  const synth = !missing && isSynthetic(f);
  const details: string[] = [];
  if (f?.period) details.push(`période ${f.period}`);
  if (typeof f?.n === 'number') details.push(`n = ${nf0.format(f.n)}`);
  return (
    <span
      class={missing ? 'fig fig-missing' : 'fig'}
      tabIndex={0}
      aria-describedby={id}
      data-testid={props.testid}
      data-value={missing ? '' : String(f!.value)}
      data-synthetic={synth ? 'true' : undefined}
      onFocus={place}
      onMouseEnter={place}
    >
      {props.children ?? fmt(f)}
      {synth ? <SyntheticMark /> : null}
      <span class="tip" role="tooltip" id={id}>
        {props.label ? <strong>{props.label}. </strong> : null}
        {sourceText(f?.source, sources)}
        {details.length ? <> ({details.join(', ')})</> : null}
        {f?.note ? <> — {f.note}</> : null}
        {synth ? <> — {SYNTHETIC_TEXT}</> : null}
      </span>
    </span>
  );
}

/** SYNTHETIC_TEXT says what the "synthétique" mark on a figure means. */
export const SYNTHETIC_TEXT = 'chiffre calculé en tout ou partie sur des données synthétiques (démonstration) : ne pas s’en servir pour décider';

/** SyntheticMark flags a figure built on synthetic data, in words (not by colour alone). */
export function SyntheticMark() {
  return (
    <span class="tag warn synth" title={SYNTHETIC_TEXT}>
      synthétique
    </span>
  );
}

/** SourceBadge is a focusable "source" mark for charts and tables. */
export function SourceBadge(props: { iris: (string | undefined)[]; sources: Sources; label?: string }) {
  const id = `tip-${++tipSeq}`;
  const uniq = [...new Set(props.iris.filter(Boolean) as string[])];
  return (
    <span class="fig src-badge" tabIndex={0} aria-describedby={id} onFocus={place} onMouseEnter={place}>
      Source{uniq.length > 1 ? 's' : ''}
      <span class="tip" role="tooltip" id={id}>
        {props.label ? <strong>{props.label}. </strong> : null}
        {uniq.length ? uniq.map((s) => <span class="tip-line">{sourceText(s, props.sources)}</span>) : 'Source non précisée'}
      </span>
    </span>
  );
}
