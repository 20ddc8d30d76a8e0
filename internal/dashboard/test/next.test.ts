// Unit tests of the readers of the members issues 10 and 11 added to the API
// (src/next.ts) and of the French texts built on them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cell, Company, DiagMetier, Diagnostic, Figure, Source, Suggestions, Zone } from '../src/api';
import { dataDateText, trainingWindowText } from '../src/diagnostic';
import { fmtShort, periodFr, sourceText, type Sources } from '../src/format';
import {
  companiesNote,
  coverage,
  coverageText,
  extraFigures,
  isPast,
  isSynthetic,
  partial,
  proposals,
  resolutions,
  sourceDates,
  tensionNotes,
  trainingWindow,
  withRefresh,
  zoneNote,
} from '../src/next';

const ITEM = 'https://data.dataregionsud.fr/openemploi/id/rome-item/';
const sql = { '@id': ITEM + '100025', '@type': 'Skill', code: '100025', label: 'SQL', skillKind: 'savoir' };

function diag(extra: Partial<Diagnostic>): Diagnostic {
  const d: Diagnostic = {
    '@context': '/api/context.jsonld',
    '@type': 'Diagnostic',
    generatedAt: '2026-12-05T07:00:00Z',
    dataVersion: 'v1',
    thresholdsVersion: 't1',
    level: 'profile',
    metiers: [],
    zones: [],
    cells: [],
    ranking: [],
    sources: [],
  };
  return { ...d, ...extra };
}

function cell(extra: Partial<Cell>): Cell {
  const f = { value: null };
  const c: Cell = {
    metier: 'm',
    zone: 'z',
    market: { offersByMonth: [], offersPerMonth: f, trend: f, contracts: [], experience: [], topCompanies: [], topMetiers: [] },
    salary: { median: f, q1: f, q3: f },
    tension: null,
    skills: null,
    trainings: [],
    companies: [],
    lights: [],
    score: null,
  };
  return { ...c, ...extra };
}

test('resolutions: every typed skill in order, recognised with label, score and where; not recognised with its note', () => {
  // The API states the resolutions on each requested métier (the same list on each).
  const m = {
    resolutions: [
      { input: 'sql', recognised: true, skill: sql, matched: 'SQL', score: 0.93, tier: 'fiche', fiche: 'M1811', why: 'compétence de la fiche M1811' },
      { input: 'apache spark', recognised: false, score: 0, note: 'aucun élément ne ressemble assez', suggestion: 'Apache Spark' },
    ],
  } as unknown as DiagMetier;
  const d = diag({ metiers: [m, m] });
  assert.deepEqual(
    resolutions(d).map((r) => [r.typed, r.recognised, r.skill?.code, r.matchedLabel, r.score, r.tier, r.why, r.note, r.suggestion]),
    [
      ['sql', true, '100025', 'SQL', 0.93, 'fiche', 'compétence de la fiche M1811', undefined, undefined],
      ['apache spark', false, undefined, undefined, 0, undefined, undefined, 'aucun élément ne ressemble assez', 'Apache Spark'],
    ],
  );
  assert.deepEqual(resolutions(diag({})), [], 'a diagnostic without a profile shows no resolution');
  assert.deepEqual(resolutions(undefined), []);
});

test('proposals from a CV keep the text span and the label found; the Skill is what gets added', () => {
  const items: Suggestions['items'] = [
    { ...sql, evidence: { matched: 'SQL', score: 0.8, start: 10, end: 27, excerpt: 'requêtes SQL avancées' } },
    { ...sql, '@id': ITEM + '100024', code: '100024', label: 'Langage Python' },
  ];
  const ps = proposals(items);
  assert.deepEqual(
    ps.map((p) => [p.skill.code, p.span, p.matched, p.score]),
    [
      ['100025', 'requêtes SQL avancées', 'SQL', 0.8],
      ['100024', undefined, undefined, undefined],
    ],
  );
  assert.equal('evidence' in ps[0].skill, false, 'the evidence is not part of the skill added to the profile');
  assert.deepEqual(proposals(undefined), []);
});

test('partially owned skills keep their level; none is an empty list', () => {
  assert.deepEqual(partial({ partial: [{ ...sql, level: 2 }] }).map((s) => [s.code, s.level]), [['100025', 2]]);
  assert.deepEqual(partial({}), []);
  assert.deepEqual(partial(null), []);
});

test('source dates: the data date and period beside the import date, in French', () => {
  const s: Source = { '@id': 'g', title: 'Offres', synthetic: false, modified: '2026-11-23T07:00:00Z', issued: '2025-01-31', temporal: { start: '2024-06', end: '2025-01' } };
  assert.deepEqual(sourceDates(s), { issued: '2025-01-31', temporal: '2024-06/2025-01', imported: '2026-11-23T07:00:00Z', lastChecked: undefined, lastChanged: undefined });
  assert.equal(dataDateText(s), 'Données du 31 janvier 2025 (période de juin 2024 à janvier 2025)');
  assert.match(sourceText('g', new Map([['g', s]]) as Sources), /données du 31 janvier 2025 \(période de juin 2024 à janvier 2025\) — importé le 23 novembre 2026/);
  assert.equal(dataDateText({ '@id': 'g', title: 'x', synthetic: false, temporal: { start: '2003-T1', end: '2023-T3' } }), 'Période de 1er trimestre 2003 à 3e trimestre 2023');
  assert.equal(dataDateText({ '@id': 'g', title: 'x', synthetic: false, temporal: { end: '2025-01' } }), "Période jusqu'à janvier 2025");
  assert.equal(dataDateText({ '@id': 'g', title: 'x', synthetic: false, modified: '2026-11-23' }), 'date non transmise');
  assert.match(sourceText('g', new Map([['g', { '@id': 'g', title: 'x', synthetic: false, modified: '2026-11-23' }]])), /mis à jour le 23 novembre 2026/, 'without a data date, the import date is said as before');
  assert.equal(periodFr('2024-03-01/2024-06-30'), 'de 1er mars 2024 à 30 juin 2024');
  assert.equal(periodFr('2023'), '2023');
  assert.equal(dataDateText({ '@id': 'g', title: 'x', synthetic: false, issued: '2025-02-01' }), 'Données du 1er février 2025', 'the first of the month is an ordinal');
  assert.equal(dataDateText({ '@id': 'g', title: 'x', synthetic: false, issued: '2025-02-11' }), 'Données du 11 février 2025', 'only the first');
});

test('refresh dates of GET /api/sources join the diagnostic sources by graph IRI', () => {
  const a: Source = { '@id': 'a', title: 'A', synthetic: false };
  const b: Source = { '@id': 'b', title: 'B', synthetic: false };
  const out = withRefresh([a, b], [{ '@id': 'a', title: 'A', synthetic: false, lastChecked: '2026-12-01T03:00:00Z', lastChanged: '2026-11-20T03:00:00Z' }]);
  assert.deepEqual(out.map((s) => [s['@id'], s.lastChecked, s.lastChanged]), [
    ['a', '2026-12-01T03:00:00Z', '2026-11-20T03:00:00Z'],
    ['b', undefined, undefined],
  ]);
  assert.equal(withRefresh([a], undefined)[0], a);
});

test('synthetic: only an explicit true marks a figure, a training or a company', () => {
  const fig: Figure = { value: 3, synthetic: true };
  const company: Company = { name: 'Azur Numérique', why: '4 offres', synthetic: true };
  const plain: Figure = { value: 3 };
  assert.equal(isSynthetic(fig), true);
  assert.equal(isSynthetic(company), true);
  assert.equal(isSynthetic(plain), false);
  assert.equal(isSynthetic(undefined), false);
});

test('score coverage: as the API counts it, absent on a cell without lights', () => {
  assert.deepEqual(coverage(cell({ coverage: { known: 3, of: 5 } })), { known: 3, total: 5 });
  assert.equal(coverageText({ known: 3, total: 5 }), '3/5 axes connus');
  assert.equal(coverageText({ known: 1, total: 5 }), '1/5 axe connu');
  assert.equal(coverage(cell({})), undefined, 'nothing invented');
  assert.deepEqual(coverage({ coverage: { known: 5, of: 5 } }), { known: 5, total: 5 }, 'a ranking entry too');
});

test('training window: anchored on the data, recent sessions when none is upcoming', () => {
  const w = { from: '2025-02-01', until: '2026-02-01', dataUntil: '2025-01-20', recent: true, note: 'aucune session à venir' };
  const c = cell({ trainingWindow: w, companiesNote: '130 employeurs, classés par nombre d’offres' });
  assert.deepEqual(trainingWindow(c), w);
  assert.equal(
    trainingWindowText(w, true),
    "Aucune session à venir entre le 1er février 2025 et le 1er février 2026 : voici les sessions récentes. Données de formation jusqu'au 20 janvier 2025.",
  );
  assert.equal(trainingWindowText({ ...w, recent: false, dataUntil: '2025-09-15' }, true), "Sessions à venir entre le 1er février 2025 et le 1er février 2026. Données de formation jusqu'au 15 septembre 2025.");
  assert.equal(trainingWindowText({ ...w, recent: false, dataUntil: undefined }, false), 'Aucune session connue entre le 1er février 2025 et le 1er février 2026. aucune session à venir');
  assert.equal(trainingWindowText(undefined, false), 'Aucune session connue à venir : donnée indisponible.');
  assert.equal(companiesNote(c), '130 employeurs, classés par nombre d’offres');
  assert.equal(trainingWindow(cell({})), undefined);
  assert.equal(companiesNote(undefined), undefined);
  assert.equal(isPast({ past: true }), true);
  assert.equal(isPast({}), false);
});

test('tension: weighting and the ROME v3 parent said beside the figure', () => {
  const c = cell({ tension: { indicator: { value: 4, unit: 'classe de 1 à 5' }, weightedBy: 'population des communes', romeV3Parent: 'M1805' } });
  assert.deepEqual(tensionNotes(c), ['pondération : population des communes', 'publié pour la fiche ROME v3 M1805']);
  assert.deepEqual(tensionNotes(cell({ tension: { indicator: { value: 4 } } })), []);
  assert.deepEqual(tensionNotes(cell({})), []);
});

test('zones: an interregional zone always says so; extra figures are listed by name', () => {
  const z: Zone = { '@id': 'z', code: '9301', label: 'Avignon' };
  assert.equal(zoneNote(z), undefined);
  assert.match(zoneNote({ ...z, interregional: true }) || '', /seules ses communes de la région/);
  assert.equal(zoneNote({ ...z, interregional: true, note: 'communes de PACA seulement' }), 'communes de PACA seulement');
  assert.deepEqual(extraFigures(cell({ extra: { b: { value: 2 }, a: { value: 1 } } })).map(([k]) => k), ['a', 'b']);
  assert.deepEqual(extraFigures(cell({})), []);
});

test('bar labels: a unit written out in words is left to the notes, short units stay', () => {
  assert.equal(fmtShort({ value: 4, unit: 'classe de 1 (peu de difficulté) à 5 (très forte difficulté)' }), '4');
  assert.equal(fmtShort({ value: 12.5, unit: '%' }), '12,5 %');
  assert.equal(fmtShort({ value: 3, unit: 'offers/month' }), '3 offres/mois');
  assert.equal(fmtShort({ value: null, unit: 'classe de 1 à 5 (difficulté)' }), 'donnée indisponible');
});
