// Screen "Diagnostic": lights per métier × zone with their explanation,
// side-by-side charts, the indicator map, skills gap and trainings, nearby
// métiers, companies, cadre de vie and the sources of every figure.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, diagnosticBody, postDiagnostic, type Cell, type DiagMetier, type Diagnostic, type Figure, type Light, type SkillRef, type Source, type Training } from './api';
import { HBarChart, OffersChart, PALETTE, SalaryChart, useWidth } from './charts';
import { dateFr, Fig, fmt, graphPath, isNum, licenceName, MISSING, periodFr, skillKindFr, SourceBadge, type Sources } from './format';
import { companiesNote, coverage, coverageText, isPast, partial, REPHRASE, resolutions, sourceDates, trainingWindow, type Coverage, type Resolution } from './next';
import { ramp, useGeometry, ZoneMap } from './map';
import { hasProfile, store, useStore } from './state';

export const AXES: Record<string, string> = {
  market: 'Marché',
  pay: 'Salaire',
  skills: 'Compétences',
  training: 'Formation',
  life: 'Cadre de vie',
};
export const COLORS: Record<string, { word: string; mark: string }> = {
  green: { word: 'favorable', mark: '●' },
  amber: { word: 'mitigé', mark: '▲' },
  red: { word: 'défavorable', mark: '■' },
  unknown: { word: 'inconnu', mark: '?' },
};
export const VS_WISHED: Record<string, string> = {
  below: 'en dessous de la fourchette',
  within: 'dans la fourchette',
  above: 'au-dessus de la fourchette',
};

/** useDiagnostic fetches the diagnostic of the current project (and profile) once per change. */
export function useDiagnostic(): { d: Diagnostic | null; error: ApiError | null; loading: boolean; retry: () => void } {
  const s = useStore();
  const body = diagnosticBody(s.project, hasProfile(s.profile) ? s.profile : null);
  const key = JSON.stringify(body);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const ready = s.project.metiers.length > 0 && s.project.zones.length > 0;
  useEffect(() => {
    if (!ready || store.diagnosticKey === key) return;
    let live = true;
    setLoading(true);
    setError(null);
    postDiagnostic(body).then(
      (d) => {
        if (!live) return;
        store.setDiagnostic(d, key);
        // learn labels of métiers restored from a shared link
        const p = store.project;
        const lab = new Map(d.metiers?.map((m) => [m.code, m.label]));
        if (p.metiers.some((m) => lab.has(m.code) && m.label !== lab.get(m.code))) {
          store.setProject({ ...p, metiers: p.metiers.map((m) => ({ ...m, label: lab.get(m.code) || m.label })) });
        }
        setLoading(false);
      },
      (e) => {
        if (!live) return;
        setError(e instanceof ApiError ? e : new ApiError(String(e), 0));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [key, ready, attempt]);
  const fresh = store.diagnosticKey === key ? store.diagnostic : null;
  return { d: ready ? fresh : null, error, loading, retry: () => setAttempt((n) => n + 1) };
}

export function sourcesOf(d: Diagnostic): Sources {
  return new Map((d.sources || []).map((s) => [s['@id'], s]));
}

export function cellOf(d: Diagnostic, metier: string, zone: string): Cell | undefined {
  return d.cells.find((c) => c.metier === metier && c.zone === zone);
}

/** cdiShare is the share of CDI among the offers (contracts breakdown). */
export function cdiShare(c: Cell | undefined): Figure | undefined {
  const l = c?.market?.contracts;
  if (!l) return undefined;
  const cdi = l.find((x) => (x.code || '').toUpperCase() === 'CDI');
  if (cdi?.share) return cdi.share;
  return { value: null, note: l.length ? 'aucune offre en CDI publiée' : 'répartition des contrats inconnue' };
}

const lifeOf = (d: Diagnostic, z: string) => d.zones.find((x) => x['@id'] === z)?.life;

function LightMark(props: { l: Light }) {
  const c = COLORS[props.l.color] || COLORS.unknown;
  return (
    <span class={`light light-${props.l.color in COLORS ? props.l.color : 'unknown'}`} aria-hidden="true">
      {c.mark}
    </span>
  );
}

function Value(props: { v: unknown; sources: Sources; label: string }) {
  const v = props.v;
  if (v && typeof v === 'object' && 'value' in (v as any)) return <Fig f={v as Figure} sources={props.sources} label={props.label} />;
  if (v === null || v === undefined) return <span class="fig-missing">{MISSING}</span>;
  if (typeof v === 'number') return <>{new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(v)}</>;
  if (typeof v === 'object') return <code>{JSON.stringify(v)}</code>;
  return <>{String(v)}</>;
}

// KEY_FR names the inputs and thresholds of the lights' rules (internal/diagnostic/rules.go) in French.
const KEY_FR: Record<string, string> = {
  offersPerMonth: 'offres par mois',
  trendPct: 'tendance (%)',
  median: 'salaire médian proposé',
  q1: '1er quartile',
  q3: '3e quartile',
  n: "nombre d'offres avec salaire",
  matchPct: 'compétences acquises (%)',
  sessions: 'sessions de formation',
  unemploymentPct: 'taux de chômage (%)',
  period: 'période',
  greenMin: 'vert à partir de',
  amberMin: 'orange à partir de',
  greenMinPct: 'vert à partir de (%)',
  amberMinPct: 'orange à partir de (%)',
  greenMaxPct: "vert jusqu'à (%)",
  amberMaxPct: "orange jusqu'à (%)",
  fallingTrendPct: 'baisse forte (%)',
  minSalaryN: "minimum d'offres avec salaire",
  amberMinRatioToCurrent: 'orange à partir de (part du revenu actuel)',
  horizonMonths: 'horizon (mois)',
  wishedMin: 'minimum souhaité',
  wishedMax: 'maximum souhaité',
  current: 'revenu actuel',
};

function KV(props: { obj?: Record<string, unknown>; sources: Sources }) {
  const entries = Object.entries(props.obj || {});
  if (!entries.length) return <p class="muted">—</p>;
  return (
    <dl class="kv">
      {entries.map(([k, v]) => (
        <>
          <dt title={k}>{KEY_FR[k] || k}</dt>
          <dd>
            <Value v={v} sources={props.sources} label={KEY_FR[k] || k} />
          </dd>
        </>
      ))}
    </dl>
  );
}

export function LightDetail(props: { l: Light; metier: string; zone: string; sources: Sources }) {
  const { l } = props;
  const c = COLORS[l.color] || COLORS.unknown;
  return (
    <div class="light-detail-body">
      <h3>
        <LightMark l={l} /> {AXES[l.axis] || l.axis} — {props.metier} à {props.zone} : {c.word}
      </h3>
      <p class="explanation">{l.explanation || 'Aucune explication fournie.'}</p>
      <div class="three">
        <div>
          <h4>Règle</h4>
          <p>{l.rule || '—'}</p>
        </div>
        <div>
          <h4>Données d'entrée</h4>
          <KV obj={l.inputs} sources={props.sources} />
        </div>
        <div>
          <h4>Seuils</h4>
          <KV obj={l.thresholds} sources={props.sources} />
        </div>
      </div>
    </div>
  );
}

function LightsMatrix(props: { d: Diagnostic; sources: Sources; print?: boolean }) {
  const { d } = props;
  const [open, setOpen] = useState<string | null>(null);
  const all: { id: string; l: Light; m: string; z: string }[] = [];
  return (
    <>
      <div class="table-scroll">
        <table class="lights-table" data-testid="lights">
          <caption class="sr-only">Feux par métier et par zone</caption>
          <thead>
            <tr>
              <th scope="col">Métier \ zone</th>
              {d.zones.map((z) => (
                <th scope="col">
                  {z.label}
                  {d.current?.zone === z['@id'] || store.project.current.zone === z.code ? <span class="tag">actuelle</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {d.metiers.map((m) => (
              <tr>
                <th scope="row">
                  <span class="code">{m.code}</span> {m.label}
                </th>
                {d.zones.map((z) => {
                  const c = cellOf(d, m['@id'], z['@id']);
                  if (!c?.lights?.length) return <td class="muted">{MISSING}</td>;
                  return (
                    <td>
                      <ul class="lights">
                        {c.lights.map((l, i) => {
                          const id = `${m.code}-${z.code}-${i}`;
                          all.push({ id, l, m: m.label, z: z.label });
                          const cw = (COLORS[l.color] || COLORS.unknown).word;
                          return (
                            <li>
                              <button
                                type="button"
                                class={`light-btn ${open === id ? 'open' : ''}`}
                                aria-expanded={open === id}
                                aria-controls="light-detail"
                                data-testid={`light-${m.code}-${z.code}-${l.axis}`}
                                data-color={l.color}
                                onClick={() => setOpen(open === id ? null : id)}
                              >
                                <LightMark l={l} />
                                <span class="light-axis">{AXES[l.axis] || l.axis}</span>
                                <span class="sr-only"> : {cw}</span>
                              </button>
                            </li>
                          );
                        })}
                      </ul>
                      <ScoreText score={c.score} cov={coverage(c)} testid={`score-${m.code}-${z.code}`} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="legend-lights" aria-hidden="true">
        {Object.entries(COLORS).map(([k, c]) => (
          <span class="lg-item">
            <span class={`light light-${k}`}>{c.mark}</span> {c.word}
          </span>
        ))}
      </p>
      <div id="light-detail" class="light-detail" aria-live="polite">
        {(() => {
          const hit = all.find((a) => a.id === open);
          return hit ? <LightDetail l={hit.l} metier={hit.m} zone={hit.z} sources={props.sources} /> : <p class="hint">Choisissez un feu pour voir ses données, sa règle et ses seuils.</p>;
        })()}
      </div>
    </>
  );
}

type Indicator = { key: string; label: string; get: (d: Diagnostic, metier: string, zone: string) => Figure | undefined };

export const INDICATORS: Indicator[] = [
  { key: 'offers', label: 'Offres par mois', get: (d, m, z) => cellOf(d, m, z)?.market?.offersPerMonth },
  { key: 'salary', label: 'Salaire médian proposé', get: (d, m, z) => cellOf(d, m, z)?.salary?.median },
  { key: 'tension', label: 'Tension', get: (d, m, z) => cellOf(d, m, z)?.tension?.indicator },
  { key: 'trend', label: 'Tendance des offres', get: (d, m, z) => cellOf(d, m, z)?.market?.trend },
  { key: 'unemployment', label: 'Taux de chômage', get: (d, _m, z) => lifeOf(d, z)?.unemployment },
  { key: 'price', label: 'Prix au m²', get: (d, _m, z) => lifeOf(d, z)?.pricePerSqm },
  { key: 'rent', label: 'Loyer au m²', get: (d, _m, z) => lifeOf(d, z)?.rentPerSqm },
  { key: 'population', label: 'Population', get: (d, _m, z) => lifeOf(d, z)?.populationFigure },
];

/** COMPARISON lists the rows of the comparison table (also the CSV export). */
export const COMPARISON: { key: string; label: string; get: (c: Cell | undefined) => Figure | undefined | string }[] = [
  { key: 'offers', label: 'Offres par mois (moyenne des 3 derniers mois)', get: (c) => c?.market?.offersPerMonth },
  { key: 'trend', label: 'Tendance des offres (3 derniers mois / 3 précédents)', get: (c) => c?.market?.trend },
  { key: 'cdi', label: 'Part des offres en CDI', get: (c) => cdiShare(c) },
  { key: 'salary-q1', label: 'Salaire proposé, 1er quartile', get: (c) => c?.salary?.q1 },
  { key: 'salary-median', label: 'Salaire proposé, médiane', get: (c) => c?.salary?.median },
  { key: 'salary-q3', label: 'Salaire proposé, 3e quartile', get: (c) => c?.salary?.q3 },
  { key: 'vs-wished', label: 'Par rapport à la fourchette souhaitée', get: (c) => (c?.salary?.vsWished ? VS_WISHED[c.salary.vsWished] || c.salary.vsWished : 'non évalué') },
  { key: 'tension', label: 'Tension', get: (c) => c?.tension?.indicator },
  { key: 'match', label: 'Compétences du métier acquises', get: (c) => c?.skills?.match },
  { key: 'spouse', label: 'Offres pour le métier du conjoint', get: (c) => c?.spouseMarket },
];

/** currentLabel names the current situation (métier at zone) for column heads. */
export function currentLabel(d: Diagnostic): string {
  const c = d.current;
  if (!c) return '';
  const code = (iri: string) => iri.slice(iri.lastIndexOf('/') + 1);
  const ml = store.project.current.metier?.label || code(c.metier);
  const zl = d.zones.find((z) => z['@id'] === c.zone)?.label || store.zonesIndex.get(code(c.zone)) || code(c.zone);
  return `${ml} à ${zl}`;
}

function ComparisonTable(props: { d: Diagnostic; metier: string; sources: Sources }) {
  const { d } = props;
  const m = d.metiers.find((x) => x['@id'] === props.metier)!;
  const cur = d.current || null;
  return (
    <div class="table-scroll">
      <table class="cmp" data-testid="comparison">
        <caption>
          Comparaison des zones pour {m.label} ({m.code})
        </caption>
        <thead>
          <tr>
            <th scope="col">Indicateur</th>
            {d.zones.map((z, i) => (
              <th scope="col">
                <span class="swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" /> {z.label}
              </th>
            ))}
            {cur ? (
              <th scope="col" class="current-col">
                Situation actuelle
                <span class="small muted"> ({currentLabel(d)})</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {COMPARISON.map((row) => (
            <tr>
              <th scope="row">{row.label}</th>
              {d.zones.map((z) => {
                const v = row.get(cellOf(d, m['@id'], z['@id']));
                return (
                  <td>
                    {typeof v === 'string' ? v : <Fig f={v} sources={props.sources} label={`${row.label}, ${z.label}`} testid={`cmp-${m.code}-${z.code}-${row.key}`} />}
                  </td>
                );
              })}
              {cur
                ? (() => {
                    const v = row.get(cur);
                    return <td class="current-col">{typeof v === 'string' ? v : <Fig f={v} sources={props.sources} label={`${row.label}, situation actuelle`} testid={`cmp-current-${row.key}`} />}</td>;
                  })()
                : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Charts(props: { d: Diagnostic; metier: string; sources: Sources }) {
  const { d, metier } = props;
  const cells = d.zones.map((z) => ({ z, c: cellOf(d, metier, z['@id']) }));
  const prof = store.profile;
  const wished = { min: prof.income.wishedMin, max: prof.income.wishedMax };
  const iris = (fs: (Figure | undefined)[]) => fs.map((f) => f?.source);
  const [r1, w1] = useWidth<HTMLElement>(960);
  const [r2, w2] = useWidth<HTMLElement>(440);
  const [r3, w3] = useWidth<HTMLElement>(440);
  return (
    <div class="charts">
      <figure class="chart-card" ref={r1}>
        <figcaption>
          Offres publiées par mois{' '}
          <SourceBadge iris={iris(cells.flatMap((x) => x.c?.market?.offersByMonth || []))} sources={props.sources} label="Offres par mois" />
        </figcaption>
        <OffersChart width={w1} title="Offres publiées par mois, par zone" series={cells.map((x) => ({ label: x.z.label, months: x.c?.market?.offersByMonth || [] }))} />
        <ul class="chart-legend">
          {cells.map((x, i) => (
            <li>
              <span class="swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" /> {x.z.label}
            </li>
          ))}
        </ul>
        <details class="chart-data">
          <summary>Données du graphique</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Mois</th>
                {cells.map((x) => (
                  <th scope="col">{x.z.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(cells[0]?.c?.market?.offersByMonth || []).map((f0, mi) => (
                <tr>
                  <th scope="row">{f0.period || mi + 1}</th>
                  {cells.map((x) => (
                    <td>
                      <Fig f={x.c?.market?.offersByMonth?.[mi]} sources={props.sources} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figure>
      <figure class="chart-card" ref={r2}>
        <figcaption>
          Salaire proposé (quartiles et médiane) et fourchette souhaitée{' '}
          <SourceBadge iris={iris(cells.flatMap((x) => [x.c?.salary?.median, x.c?.salary?.q1]))} sources={props.sources} label="Salaires proposés" />
        </figcaption>
        <SalaryChart
          width={w2}
          title="Salaire proposé par zone"
          rows={cells.map((x) => ({ label: x.z.label, q1: x.c?.salary?.q1, median: x.c?.salary?.median, q3: x.c?.salary?.q3 }))}
          wished={wished}
        />
        {!wished.min && !wished.max ? <p class="hint">Renseignez une fourchette souhaitée dans le profil pour la voir ici.</p> : null}
      </figure>
      <figure class="chart-card" ref={r3}>
        <figcaption>
          Tension du marché{' '}
          <SourceBadge iris={iris(cells.map((x) => x.c?.tension?.indicator))} sources={props.sources} label="Tension" />
        </figcaption>
        <HBarChart width={w3} title="Indicateur de tension par zone" rows={cells.map((x) => ({ label: x.z.label, f: x.c?.tension?.indicator }))} />
      </figure>
    </div>
  );
}

function MapSection(props: { d: Diagnostic; metier: string; sources: Sources }) {
  const { d } = props;
  const geo = useGeometry();
  const [ind, setInd] = useState('offers');
  const indicator = INDICATORS.find((i) => i.key === ind)!;
  const byCode = new Map(d.zones.map((z) => [z.code, indicator.get(d, props.metier, z['@id'])]));
  const nums = [...byCode.values()].filter(isNum).map((f) => f.value);
  const lo = Math.min(...nums),
    hi = Math.max(...nums);
  const fill = (code: string) => {
    if (!byCode.has(code)) return null;
    const f = byCode.get(code);
    if (!isNum(f)) return 'url(#hatch)';
    return ramp(hi > lo ? 0.15 + (0.85 * (f.value - lo)) / (hi - lo) : 0.6);
  };
  const cur = store.project.current.zone;
  return (
    <div class="map-section">
      <div class="map-side">
      <div class="inline">
        <label for="map-indicator">Colorer la carte selon</label>
        <select id="map-indicator" value={ind} onChange={(e) => setInd((e.target as HTMLSelectElement).value)}>
          {INDICATORS.map((i) => (
            <option value={i.key}>{i.label}</option>
          ))}
        </select>
      </div>
      <ul class="map-values" aria-label={`${indicator.label} par zone`}>
        {d.zones.map((z) => (
          <li>
            <span class="mv-zone">{z.label}</span> <Fig f={byCode.get(z.code)} sources={props.sources} label={indicator.label} testid={`map-${z.code}`} />
          </li>
        ))}
      </ul>
      <p class="hint">Les zones hors du projet restent en gris ; survolez ou parcourez la carte au clavier pour lire les valeurs.</p>
      </div>
      {geo && geo.length ? (
        <ZoneMap
          features={geo}
          title={`${indicator.label} par zone d'emploi`}
          fill={fill}
          candidates={d.zones.map((z) => z.code)}
          current={cur}
          tip={(code, label) => {
            if (!byCode.has(code))
              return (
                <>
                  <strong>{label}</strong> : hors du projet
                </>
              );
            const f = byCode.get(code);
            return (
              <>
                <strong>{label}</strong> : {fmt(f)}
                <br />
                <span class="tip-src">{f?.source ? (props.sources.get(f.source)?.title || f.source) : 'source non précisée'}</span>
              </>
            );
          }}
          legend={
            <>
              <span class="lg-item">
                <span class="lg-ramp" aria-hidden="true" /> {nums.length ? `${fmt({ ...(byCode.values().next().value as Figure), value: lo })} → ${fmt({ ...(byCode.values().next().value as Figure), value: hi })}` : ''}
              </span>
              <span class="lg-item">
                <span class="lg-sw lg-hatch" aria-hidden="true" /> donnée indisponible
              </span>
            </>
          }
        />
      ) : (
        <p class="muted">Carte en cours de chargement…</p>
      )}
    </div>
  );
}

function skillKey(s: SkillRef | string): string {
  return typeof s === 'string' ? s : s['@id'] || s.code || s.label;
}
function skillLabel(s: SkillRef | string): string {
  return typeof s === 'string' ? s : s.label;
}

/** SkillKind says which kind of skill of the fiche it is (savoir-faire, savoir-être, savoir). */
function SkillKind(props: { s: SkillRef }) {
  const k = skillKindFr(props.s.skillKind);
  return k ? <span class="skill-kind"> ({k}{props.s.skillCategory ? ` · ${props.s.skillCategory}` : ''})</span> : null;
}

function coversSkill(t: Training, s: SkillRef): boolean {
  const k = skillKey(s);
  return (t.covers || []).some((cv) => skillKey(cv) === k || skillLabel(cv) === s.label);
}

function TrainingItem(props: { t: Training; zone: string }) {
  const { t } = props;
  return (
    <li>
      <strong>{t.name}</strong> — {t.providerName || 'organisme non précisé'}, {t.communeName || props.zone}
      {t.start ? `, ${isPast(t) ? 'a commencé' : 'début'} le ${dateFr(t.start)}` : ''}
      {isPast(t) ? <span class="tag">passée</span> : null}
    </li>
  );
}

/** ResolutionTable says how each skill the person typed was understood, none dropped silently. */
export function ResolutionTable(props: { m: DiagMetier }) {
  const rs = resolutions(props.m);
  if (!rs.length) return null;
  const unknown = rs.filter((r) => !r.recognised).length;
  return (
    <div class="table-scroll">
      <table class="cmp resolutions" data-testid={`resolutions-${props.m.code}`}>
        <caption>
          Vos compétences telles que comprises pour {props.m.label}
          {unknown ? ` (${unknown} non ${unknown > 1 ? 'reconnues' : 'reconnue'})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Saisie</th>
            <th scope="col">Compétence reconnue</th>
            <th scope="col">Pourquoi</th>
          </tr>
        </thead>
        <tbody>
          {rs.map((r) => (
            <ResolutionRow r={r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResolutionRow(props: { r: Resolution }) {
  const { r } = props;
  return (
    <tr data-recognised={r.recognised ? 'true' : 'false'}>
      <th scope="row">{r.typed}</th>
      {r.recognised && r.skill ? (
        <td>
          <span aria-hidden="true">✓</span> {r.skill.label}
          <SkillKind s={r.skill} />
          {r.matchedLabel && r.matchedLabel !== r.skill.label ? <span class="muted small"> — via « {r.matchedLabel} »</span> : null}
          {typeof r.score === 'number' ? <span class="muted small"> — confiance {Math.round(r.score * 100)} %</span> : null}
        </td>
      ) : (
        <td class="unrecognised">
          <strong>
            <span aria-hidden="true">?</span> non reconnu
          </strong>
          <span class="small"> — {r.suggestion ? `essayez par exemple « ${r.suggestion} », ou reformulez.` : REPHRASE}</span>
        </td>
      )}
      <td class="small">{r.why || '—'}</td>
    </tr>
  );
}

/** GapTable sums up the gap for every métier of the diagnostic, with the trainings that close it. */
export function GapTable(props: { d: Diagnostic; sources: Sources }) {
  const { d } = props;
  const rows = d.metiers.filter((m) => m.owned?.length || m.missing?.length);
  if (rows.length < 2) return null;
  return (
    <div class="table-scroll">
      <table class="cmp gap" data-testid="gap">
        <caption>Compétences acquises, partielles et à acquérir, par métier</caption>
        <thead>
          <tr>
            <th scope="col">Métier</th>
            <th scope="col">Compétences acquises</th>
            <th scope="col">Partiellement acquises</th>
            <th scope="col">À acquérir</th>
            <th scope="col">Dont couvertes par une formation</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => {
            const trainings = d.cells.filter((c) => c.metier === m['@id']).flatMap((c) => c.trainings || []);
            const closed = (m.missing || []).filter((s) => trainings.some((t) => coversSkill(t, s))).length;
            return (
              <tr>
                <th scope="row">
                  <span class="code">{m.code}</span> {m.label}
                </th>
                <td>
                  <Fig f={m.match} sources={props.sources} label={`Compétences acquises, ${m.label}`} /> ({m.owned?.length || 0})
                </td>
                <td>{partial(m).length}</td>
                <td>{m.missing?.length || 0}</td>
                <td>{closed}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** ScoreText shows a score with the axes it rests on ("72/100 · 3/5 axes connus"). */
export function ScoreText(props: { score: number | null | undefined; cov?: Coverage; testid?: string }) {
  const { score, cov } = props;
  return (
    <span class="score" data-testid={props.testid} data-coverage={cov ? `${cov.known}/${cov.total}` : undefined}>
      {typeof score === 'number' && Number.isFinite(score) ? `score ${Math.round(score)}/100` : 'score non calculé'}
      {cov ? (
        <span class={cov.known < cov.total ? 'cov partial' : 'cov'} title={cov.fromApi ? undefined : 'compté à partir des feux de la cellule'}>
          {' '}
          · {coverageText(cov)}
        </span>
      ) : null}
    </span>
  );
}

function SkillsSection(props: { d: Diagnostic; metier: string; sources: Sources }) {
  const { d } = props;
  const cells = d.zones.map((z) => ({ z, c: cellOf(d, props.metier, z['@id']) }));
  const m = d.metiers.find((x) => x['@id'] === props.metier);
  const first =
    m && (m.owned?.length || m.missing?.length)
      ? { owned: m.owned, missing: m.missing, match: m.match }
      : cells.find((x) => x.c?.skills?.owned?.length || x.c?.skills?.missing?.length)?.c?.skills;
  const [showAll, setShowAll] = useState(false);
  const anySkillTraining = cells.some((x) => (x.c?.trainings || []).some((t) => (first?.missing || []).some((s) => coversSkill(t, s))));
  const part = partial(m);
  const gap = first ? (
    <div class="two">
      <div>
        <h3>Compétences acquises ({first.owned?.length || 0})</h3>
        <ul class="skill-list owned">
          {(first.owned || []).map((s) => (
            <li>
              <span aria-hidden="true">✓</span> {s.label}
              <SkillKind s={s} />
              {typeof s.level === 'number' ? <span class="muted small"> — niveau {s.level}/5</span> : null}
            </li>
          ))}
        </ul>
        {part.length ? (
          <>
            <h3>Partiellement acquises ({part.length})</h3>
            <ul class="skill-list partial" data-testid="partial-skills">
              {part.map((s) => (
                <li>
                  <span aria-hidden="true">◐</span> {s.label}
                  <SkillKind s={s} />
                  {typeof s.level === 'number' ? <span class="muted small"> — votre niveau {s.level}/5</span> : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
      <div>
        <h3>Compétences à acquérir ({first.missing?.length || 0})</h3>
        {first.match ? (
          <p>
            Part des compétences du métier déjà acquises : <Fig f={first.match} sources={props.sources} label="Compétences acquises" />
          </p>
        ) : null}
        {!anySkillTraining && first.missing?.length && cells.some((x) => x.c?.trainings?.length) ? (
          <p class="hint">Les formations ci-dessous préparent au métier et couvrent ces compétences.</p>
        ) : null}
        <ul class="skill-list missing">
          {(first.missing || []).slice(0, showAll ? undefined : 12).map((s) => {
            const hits = cells.flatMap((x) => (x.c?.trainings || []).filter((t) => coversSkill(t, s)).map((t) => ({ t, z: x.z.label })));
            return (
              <li>
                <span class="skill-name">{s.label}</span>
                <SkillKind s={s} />
                {hits.length ? (
                  <ul class="trainings">
                    {hits.map((h) => (
                      <TrainingItem t={h.t} zone={h.z} />
                    ))}
                  </ul>
                ) : anySkillTraining ? (
                  <p class="muted small">Aucune formation connue ne vise cette compétence en particulier.</p>
                ) : null}
              </li>
            );
          })}
        </ul>
        {(first.missing?.length || 0) > 12 ? (
          <button type="button" class="btn small" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
            {showAll ? 'Réduire la liste' : `Voir les ${first.missing!.length - 12} autres compétences`}
          </button>
        ) : null}
      </div>
    </div>
  ) : store.profile.skills.length ? (
    <p class="muted">Écart de compétences : {MISSING}.</p>
  ) : (
    <p class="muted">
      Renseignez vos compétences dans le <a href="#/projet">profil</a> pour voir l'écart avec le métier.
    </p>
  );
  return (
    <>
      {m ? <ResolutionTable m={m} /> : null}
      {gap}
      <h3>Formations qui préparent au métier</h3>
      <div class="cols">
        {cells.map((x) => {
          const w = trainingWindow(x.c);
          const list = x.c?.trainings || [];
          return (
            <div class="col">
              <h4>{x.z.label}</h4>
              <TrainingWindowText w={w} any={list.length > 0} />
              {list.length ? (
                <ul class="trainings">
                  {list.slice(0, 6).map((t) => (
                    <TrainingItem t={t} zone={x.z.label} />
                  ))}
                </ul>
              ) : null}
            </div>
          );
        })}
      </div>
    </>
  );
}

/** TrainingWindowText says which sessions are listed and up to when the training data runs. */
function TrainingWindowText(props: { w: ReturnType<typeof trainingWindow>; any: boolean }) {
  const { w } = props;
  const until = w?.dataUntil ? ` Les données de formation vont jusqu'au ${dateFr(w.dataUntil)}.` : '';
  if (!w) return props.any ? <p class="small muted">Sessions à venir.</p> : <p class="muted small">Aucune session connue à venir : {MISSING}.</p>;
  if (w.recent)
    return (
      <p class="small" data-testid="training-window">
        Aucune session à venir{w.until ? ` d'ici le ${dateFr(w.until)}` : ''} : voici les sessions récentes.{until}
        {w.note ? ` ${w.note}` : ''}
      </p>
    );
  if (!props.any)
    return (
      <p class="muted small" data-testid="training-window">
        {w.note || `Aucune session connue${w.from && w.until ? ` entre le ${dateFr(w.from)} et le ${dateFr(w.until)}` : ''}.`}
        {until}
      </p>
    );
  return (
    <p class="small muted" data-testid="training-window">
      Sessions à venir{w.from && w.until ? ` entre le ${dateFr(w.from)} et le ${dateFr(w.until)}` : ''}.{until}
    </p>
  );
}

function CompaniesSection(props: { d: Diagnostic; metier: string }) {
  const { d } = props;
  return (
    <div class="cols">
      {d.zones.map((z) => {
        const c = cellOf(d, props.metier, z['@id']);
        const top = c?.market?.topCompanies || [];
        const seen = new Set(top.map((t) => t.name));
        const comp = (c?.companies || []).filter((x) => !seen.has(x.name));
        return (
          <div class="col">
            <h3>{z.label}</h3>
            {top.length ? (
              <>
                <h4>Recrutent le plus</h4>
                <ol class="companies">
                  {top.map((t) => (
                    <li>
                      {t.name} {t.offers ? <span class="muted">({t.offers} offre{t.offers > 1 ? 's' : ''})</span> : null}
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
            {comp.length ? (
              <>
                <h4>Entreprises du secteur</h4>
                <ul class="companies">
                  {comp.slice(0, 8).map((t) => (
                    <li>
                      {t.name} {t.naf ? <span class="code">{t.naf}</span> : null}
                      {t.why ? <span class="muted small"> — {t.why}</span> : null}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {companiesNote(c) ? <p class="small muted">{companiesNote(c)}</p> : null}
            {!top.length && !comp.length && !companiesNote(c) ? <p class="muted">{MISSING}</p> : null}
          </div>
        );
      })}
    </div>
  );
}

function LifeTable(props: { d: Diagnostic; sources: Sources }) {
  const { d } = props;
  const rows: { label: string; get: (z: Diagnostic['zones'][number]) => Figure | undefined }[] = [
    { label: 'Population', get: (z) => z.life?.populationFigure },
    { label: 'Taux de chômage', get: (z) => z.life?.unemployment },
    { label: 'Prix de vente au m²', get: (z) => z.life?.pricePerSqm },
    { label: 'Loyer au m²', get: (z) => z.life?.rentPerSqm },
    { label: 'Gares', get: (z) => z.life?.stations },
  ];
  const families = [...new Set(d.zones.flatMap((z) => (z.life?.amenities || []).map((a) => a.family)))];
  const famLabel = (f: string) => f;
  return (
    <div class="table-scroll">
      <table class="cmp" data-testid="life">
        <caption>Cadre de vie par zone</caption>
        <thead>
          <tr>
            <th scope="col">Indicateur</th>
            {d.zones.map((z) => (
              <th scope="col">{z.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              {d.zones.map((z) => (
                <td>
                  <Fig f={r.get(z)} sources={props.sources} label={`${r.label}, ${z.label}`} testid={`life-${z.code}-${r.label}`} />
                </td>
              ))}
            </tr>
          ))}
          {families.map((fam) => (
            <tr>
              <th scope="row">{famLabel(fam)} (pour 10 000 hab.)</th>
              {d.zones.map((z) => (
                <td>
                  <Fig f={z.life?.amenities?.find((a) => a.family === fam)?.per10k} sources={props.sources} label={famLabel(fam)} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** dataDateText says the data's own date and period, beside which the import date is shown. */
export function dataDateText(s: Source): string {
  const { issued, temporal } = sourceDates(s);
  const period = temporal ? `période ${periodFr(temporal)}` : '';
  if (issued) return `Données du ${dateFr(issued)}${period ? ` (${period})` : ''}`;
  return period ? period[0].toUpperCase() + period.slice(1) : 'date non transmise';
}

export function SourcesList(props: { d: Diagnostic }) {
  const src = props.d.sources || [];
  if (!src.length) return <p class="muted">Aucune source déclarée.</p>;
  return (
    <div class="table-scroll">
    <table class="cmp sources">
      <caption>Sources des données</caption>
      <thead>
        <tr>
          <th scope="col">Jeu de données</th>
          <th scope="col">Éditeur</th>
          <th scope="col">Date des données</th>
          <th scope="col">Import</th>
          <th scope="col">Licence</th>
          <th scope="col">Graphe</th>
        </tr>
      </thead>
      <tbody>
        {src.map((s) => (
          <tr>
            <th scope="row">
              {s.title || '—'}
              {s.synthetic ? <span class="tag warn">synthétique</span> : null}
            </th>
            <td>{s.publisher || '—'}</td>
            <td data-testid="source-issued">{dataDateText(s)}</td>
            <td>{s.modified ? `Importé le ${dateFr(s.modified)}` : '—'}</td>
            <td>{s.license ? /^https?:/.test(s.license) ? <a href={s.license}>{licenceName(s.license)}</a> : s.license : '—'}</td>
            <td>
              {graphPath(s['@id']) ? (
                <a href={graphPath(s['@id'])!} title={s['@id']}>
                  <code class="iri">{graphPath(s['@id'])!.replace('/graph/', '')}</code>
                </a>
              ) : (
                <code class="iri">{s['@id']}</code>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

function Ranking(props: { d: Diagnostic }) {
  const r = props.d.ranking || [];
  if (!r.length) return null;
  const ml = new Map(props.d.metiers.map((m) => [m['@id'], m.label]));
  const zl = new Map(props.d.zones.map((z) => [z['@id'], z.label]));
  return (
    <ol class="ranking" data-testid="ranking">
      {r.slice(0, 6).map((x) => (
        <li>
          <strong>
            {ml.get(x.metier) || x.metier} à {zl.get(x.zone) || x.zone}
          </strong>{' '}
          <ScoreText score={x.score} cov={coverage(x, cellOf(props.d, x.metier, x.zone)?.lights)} testid="ranking-score" />{' '}
          {x.reason ? <span class="muted">— {x.reason}</span> : null}
        </li>
      ))}
    </ol>
  );
}

/** DiagnosticView renders a loaded diagnostic; `print` expands everything for paper. */
export function DiagnosticView(props: { d: Diagnostic; print?: boolean }) {
  const { d } = props;
  const sources = useMemo(() => sourcesOf(d), [d]);
  const [metier, setMetier] = useState(d.metiers[0]?.['@id']);
  const mIri = d.metiers.some((m) => m['@id'] === metier) ? metier : d.metiers[0]?.['@id'];
  const synthetic = (d.sources || []).some((s) => s.synthetic);
  const metierList = props.print ? d.metiers.map((m) => m['@id']) : [mIri];
  return (
    <div class="diag">
      <p class="meta">
        Diagnostic {d.level === 'profile' ? 'avec profil' : d.level === 'zones' ? 'par zone' : 'par métier'} généré le{' '}
        {d.generatedAt ? new Date(d.generatedAt).toLocaleString('fr-FR') : '—'}
        {d.dataVersion ? <> · données {d.dataVersion}</> : null}
      </p>
      {synthetic ? (
        <p class="notice warn" role="note">
          Certaines sources sont synthétiques (démonstration) : ne pas utiliser leurs chiffres pour décider.
        </p>
      ) : null}

      <section class="card" aria-labelledby="h-lights">
        <h2 id="h-lights">Synthèse : feux par métier et par zone</h2>
        {props.print ? <PrintLights d={d} /> : <LightsMatrix d={d} sources={sources} />}
        <Ranking d={d} />
      </section>

      {d.metiers.filter((m) => m.owned?.length || m.missing?.length).length > 1 ? (
        <section class="card" aria-labelledby="h-gap">
          <h2 id="h-gap">Écart de compétences par métier</h2>
          <GapTable d={d} sources={sources} />
        </section>
      ) : null}

      {!props.print && d.metiers.length > 1 ? (
        <fieldset class="metier-switch">
          <legend>Métier à comparer</legend>
          {d.metiers.map((m) => (
            <label class={m['@id'] === mIri ? 'seg on' : 'seg'}>
              <input type="radio" name="cmp-metier" class="sr-only" checked={m['@id'] === mIri} onChange={() => setMetier(m['@id'])} />
              {m.label}
            </label>
          ))}
        </fieldset>
      ) : null}

      {metierList.map((mi) => (
        <>
          <section class="card" aria-labelledby={`h-cmp-${mi}`}>
            <h2 id={`h-cmp-${mi}`}>Comparaison des zones : {d.metiers.find((m) => m['@id'] === mi)?.label}</h2>
            <ComparisonTable d={d} metier={mi} sources={sources} />
            <Charts d={d} metier={mi} sources={sources} />
          </section>
          {!props.print || mi === metierList[0] ? (
            <section class="card" aria-labelledby="h-map">
              <h2 id="h-map">Carte des zones d'emploi</h2>
              <MapSection d={d} metier={mi} sources={sources} />
            </section>
          ) : null}
          <section class="card" aria-labelledby={`h-skills-${mi}`}>
            <h2 id={`h-skills-${mi}`}>Compétences et formations</h2>
            <SkillsSection d={d} metier={mi} sources={sources} />
          </section>
          <section class="card" aria-labelledby={`h-comp-${mi}`}>
            <h2 id={`h-comp-${mi}`}>Entreprises</h2>
            <CompaniesSection d={d} metier={mi} />
          </section>
        </>
      ))}

      <section class="card" aria-labelledby="h-nearby">
        <h2 id="h-nearby">Métiers proches</h2>
        {d.metiers.map((m) => (
          <div class="nearby">
            <h3>Depuis {m.label}</h3>
            {m.nearby?.length ? (
              <div class="table-scroll">
                <table class="cmp">
                  <thead>
                    <tr>
                      <th scope="col">Métier proche</th>
                      <th scope="col">Compétences en commun</th>
                      <th scope="col">Offres par mois (zones choisies)</th>
                      {m.nearby.some((n) => n.match) ? <th scope="col">Mes compétences couvertes</th> : null}
                      <th scope="col">Pourquoi</th>
                    </tr>
                  </thead>
                  <tbody>
                    {m.nearby.slice(0, 8).map((n) => (
                      <tr>
                        <th scope="row">
                          <span class="code">{n.code}</span> {n.label}
                        </th>
                        <td>
                          <Fig f={n.overlap} sources={sources} label={`Compétences en commun avec ${n.label}`} />
                        </td>
                        <td>
                          <Fig f={n.offersPerMonth} sources={sources} label={`Offres de ${n.label}`} />
                        </td>
                        {m.nearby!.some((x) => x.match) ? (
                          <td>
                            <Fig f={n.match} sources={sources} label="Compétences couvertes" />
                          </td>
                        ) : null}
                        <td class="small">{n.via || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p class="muted">{MISSING}</p>
            )}
          </div>
        ))}
      </section>

      <section class="card" aria-labelledby="h-life">
        <h2 id="h-life">Cadre de vie</h2>
        <LifeTable d={d} sources={sources} />
      </section>

      <section class="card" aria-labelledby="h-sources">
        <h2 id="h-sources">Sources</h2>
        <SourcesList d={d} />
      </section>
    </div>
  );
}

function PrintLights(props: { d: Diagnostic }) {
  const { d } = props;
  return (
    <table class="cmp print-lights">
      <thead>
        <tr>
          <th scope="col">Métier</th>
          <th scope="col">Zone</th>
          <th scope="col">Axe</th>
          <th scope="col">Feu</th>
          <th scope="col">Explication</th>
        </tr>
      </thead>
      <tbody>
        {d.cells.flatMap((c) =>
          (c.lights || []).map((l) => (
            <tr>
              <td>{d.metiers.find((m) => m['@id'] === c.metier)?.label}</td>
              <td>{d.zones.find((z) => z['@id'] === c.zone)?.label}</td>
              <td>{AXES[l.axis] || l.axis}</td>
              <td>
                <LightMark l={l} /> {(COLORS[l.color] || COLORS.unknown).word}
              </td>
              <td>{l.explanation}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

export function DiagnosticScreen() {
  const { d, error, loading, retry } = useDiagnostic();
  const s = useStore();
  const ready = s.project.metiers.length > 0 && s.project.zones.length > 0;
  return (
    <div class="screen">
      <div class="screen-head">
        <h1>Diagnostic</h1>
        <div class="head-actions">
          <a class="btn" href="#/projet">
            Modifier le projet
          </a>
          <a class="btn" href="#/export">
            Exporter
          </a>
        </div>
      </div>
      {!ready ? (
        <p class="notice">
          Aucun projet : <a href="#/projet">choisissez des métiers et des zones</a>.
        </p>
      ) : null}
      {loading ? (
        <p class="notice" role="status">
          Calcul du diagnostic… Le premier calcul sur un projet peut prendre un moment.
        </p>
      ) : null}
      {error ? (
        <p class="notice error" role="alert">
          Le diagnostic n'a pas pu être calculé : {error.message}
          {error.field ? ` (champ ${error.field})` : ''}
          {error.retryable ? (
            <>
              {' '}
              <button type="button" class="btn small" onClick={retry}>
                Réessayer
              </button>
            </>
          ) : null}
        </p>
      ) : null}
      {d ? <DiagnosticView d={d} /> : null}
    </div>
  );
}
