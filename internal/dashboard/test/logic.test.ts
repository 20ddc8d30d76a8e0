// Unit tests of the page's pure logic (node --test, bundled by test.mjs):
// privacy of the share link and of the diagnostic body, honest formatting of
// missing figures, CSV export.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnosticBody, type Diagnostic, type Figure, type Profile, type Project } from '../src/api';
import { csvOf } from '../src/export';
import { fmt, licenceName, MISSING, skillKindFr, sourceText, type Sources } from '../src/format';
import { projectFromQuery, shareQuery } from '../src/state';
// a real GET /api/metiers/M1811 response (bundled by esbuild's JSON loader)
import ficheM1811 from '../testdata/metier_M1811.json';

const project: Project = {
  metiers: [{ code: 'M1811', label: 'Data engineer' }],
  zones: ['9312', '9315'],
  current: { metier: { code: 'M1805', label: 'Développeur' }, zone: '9318' },
};
const profile: Profile = {
  skills: [{ code: '100025', label: 'SQL', level: 4 }, { label: 'Modélisation', level: 2 }],
  income: { current: 3500, wishedMin: 4000, wishedMax: 5000 },
  spouseMetier: { code: 'K2111', label: 'Formation professionnelle' },
};

test('share link holds the project and nothing of the profile', () => {
  const q = shareQuery(project);
  assert.equal(q, 'metier=M1811&zone=9312&zone=9315&actuel_metier=M1805&actuel_zone=9318');
  for (const secret of ['SQL', '100025', '3500', '4000', '5000', 'K2111', 'Modélisation']) assert.ok(!q.includes(secret), secret);
});

test('shared link read back: same project, malformed values dropped, at most four of each', () => {
  const p = projectFromQuery(new URLSearchParams(shareQuery(project)));
  assert.deepEqual(p?.zones, ['9312', '9315']);
  assert.equal(p?.current.metier?.code, 'M1805');
  const bad = projectFromQuery(new URLSearchParams('metier=M1811&metier=<script>&zone=1&zone=2&zone=3&zone=4&zone=5'));
  assert.deepEqual(bad?.metiers.map((m) => m.code), ['M1811']);
  assert.equal(bad?.zones.length, 4);
  assert.equal(projectFromQuery(new URLSearchParams('profile=x')), null);
});

test('diagnostic body: profile only when given, skills by code or label, the API member names', () => {
  assert.deepEqual(diagnosticBody(project, null), {
    metiers: ['M1811'],
    zones: ['9312', '9315'],
    current: { metier: 'M1805', zone: '9318' },
  });
  const b = diagnosticBody(project, profile) as any;
  assert.deepEqual(b.profile.skills, [{ code: '100025', level: 4 }, { label: 'Modélisation', level: 2 }]);
  assert.deepEqual(b.profile.income, { current: 3500, wishedMin: 4000, wishedMax: 5000 });
  assert.equal(b.profile.spouseMetier, 'K2111');
  const empty = diagnosticBody(project, { skills: [], income: { wishedMin: NaN } }) as any;
  assert.equal(empty.profile, undefined, 'an empty profile is not sent');
});

test('missing is said, zero is zero', () => {
  assert.equal(fmt({ value: null, note: 'no offers' }), MISSING);
  assert.equal(fmt(undefined), MISSING);
  assert.equal(fmt({ value: 0, unit: 'offers/month' }), '0 offre/mois');
  assert.equal(fmt({ value: 12.5, unit: 'offers/month' }), '12,5 offres/mois');
  assert.equal(fmt({ value: 0.667, unit: 'fraction' }), '66,7 %');
  assert.equal(fmt({ value: 3385, unit: 'EUR/month' }).replace(/\s/g, ' '), '3 385 €/mois');
});

test('sources: described graph, derived aggregates, unknown graph', () => {
  const G = 'https://data.dataregionsud.fr/openemploi/graph/';
  const sources: Sources = new Map([
    [G + 'chomage', { '@id': G + 'chomage', title: 'Taux de chômage', publisher: 'INSEE', license: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence', modified: '2025-01-10', synthetic: false }],
    [G + 'offres-ft/2025-01', { '@id': G + 'offres-ft/2025-01', title: 'Offres', publisher: 'France Travail', modified: '2025-02-01', synthetic: true }],
  ]);
  const t = sourceText(G + 'chomage', sources);
  assert.match(t, /Taux de chômage — INSEE — mis à jour le 10 janvier 2025 — Licence Ouverte \(Etalab\)\. Graphe : .*chomage/);
  assert.match(sourceText(G + 'derived', sources), /publiées par France Travail.*synthétiques.*graph\/derived/);
  assert.match(sourceText(G + 'nope', sources), /non décrit/);
  assert.equal(licenceName('https://opendatacommons.org/licenses/odbl/'), 'ODbL');
});

test('CSV: one row per métier × zone, decimal comma, empty cell for missing data', () => {
  const M = 'https://x/id/rome/M1811';
  const Z = 'https://x/id/ze2020/9312';
  const missing = (note: string): Figure => ({ value: null, note });
  // a complete diagnostic as the contract describes it (the type checker says so)
  const d: Diagnostic = {
    '@context': '/context.jsonld',
    '@type': 'Diagnostic',
    generatedAt: '2025-02-01T10:00:00Z',
    dataVersion: 'test',
    thresholdsVersion: 'test',
    level: 'metier',
    metiers: [{ '@id': M, code: 'M1811', label: 'Data engineer', skills: { savoirFaire: [], savoirEtre: [], savoirs: [] }, match: missing('pas de profil'), nearby: [], appellations: [] }],
    zones: [{ '@id': Z, code: '9312', label: 'Marseille' }],
    cells: [
      {
        metier: M,
        zone: Z,
        market: { offersByMonth: [], offersPerMonth: { value: 0.33 }, trend: missing('n < 3'), contracts: [], experience: [], topCompanies: [], topMetiers: [] },
        salary: { median: missing('n < 3'), q1: missing('n < 3'), q3: missing('n < 3') },
        tension: null,
        skills: null,
        trainings: [],
        companies: [],
        lights: [{ axis: 'market', color: 'red', rule: 'r', inputs: {}, thresholds: {}, explanation: 'e' }],
        score: null,
      },
    ],
    ranking: [],
    sources: [],
  };
  const lines = csvOf(d).replace(/^\ufeff/, '').trim().split('\r\n');
  assert.equal(lines.length, 2);
  const head = lines[0].split(';');
  const row = lines[1].split(';');
  assert.equal(row[head.indexOf('Offres par mois (moyenne des 3 derniers mois)')], '0,33');
  assert.equal(row[head.indexOf('Salaire proposé, médiane')], '', 'missing median is an empty cell, not 0');
  assert.equal(row[head.indexOf('feu Marché')], 'défavorable');
});

test('skill kinds: the API member skillKind, named in French', () => {
  const fiche = ficheM1811 as any;
  const skills = [...(fiche.skills?.savoirFaire || []), ...(fiche.skills?.savoirEtre || []), ...(fiche.skills?.savoirs || [])];
  assert.ok(skills.length > 0, 'the fiche fixture has skills');
  for (const s of skills) {
    assert.equal(s.kind, undefined, `${s.label}: the API sends skillKind, not kind`);
    assert.ok(['savoir-faire', 'savoir-etre', 'savoir'].includes(s.skillKind), `${s.label}: skillKind ${s.skillKind}`);
  }
  assert.equal(skillKindFr('savoir-etre'), 'savoir-être');
  assert.equal(skillKindFr('savoir-faire'), 'savoir-faire');
  assert.equal(skillKindFr(undefined), '');
  assert.equal(skillKindFr('autre'), 'autre', 'an unknown kind is shown as sent');
});
