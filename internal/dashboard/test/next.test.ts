// Unit tests of the readers of the members issues 10 and 11 add to the API
// (src/next.ts) and of the French texts built on them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cell, DiagMetier, Figure, Light, Source } from '../src/api';
import { dataDateText } from '../src/diagnostic';
import { periodFr, sourceText, type Sources } from '../src/format';
import { companiesNote, coverage, coverageText, isPast, isSynthetic, NAMES, partial, proposals, resolutions, sourceDates, trainingWindow } from '../src/next';

// N is the preferred spelling of each assumed member.
const N = Object.fromEntries(Object.entries(NAMES).map(([k, v]) => [k, v[0]])) as { [K in keyof typeof NAMES]: (typeof NAMES)[K][0] };

const ITEM = 'https://data.dataregionsud.fr/openemploi/id/rome-item/';
const sql = { '@id': ITEM + '100025', '@type': 'Skill', code: '100025', label: 'SQL', skillKind: 'savoir' };

function metier(extra: Record<string, unknown>): DiagMetier {
  const m: DiagMetier = {
    '@id': 'https://data.dataregionsud.fr/openemploi/id/rome/M1811',
    code: 'M1811',
    label: 'Data engineer',
    skills: { savoirFaire: [], savoirEtre: [], savoirs: [] },
    match: { value: null },
    nearby: [],
    appellations: [],
  };
  return Object.assign(m, extra);
}

test('resolutions: recognised with label and score, not recognised kept with its note, nothing dropped', () => {
  const m = metier({
    [N.resolutions]: [
      { [N.typed]: 'sql', [N.recognised]: true, [N.skill]: sql, [N.matchedLabel]: 'SQL', [N.score]: 0.93, [N.why]: 'libellé exact' },
      { [N.typed]: 'apache spark', [N.recognised]: false, [N.note]: 'aucun élément de la fiche ne ressemble assez' },
      { [N.recognised]: true }, // no text and no skill: nothing to show
    ],
  });
  const rs = resolutions(m);
  assert.equal(rs.length, 2);
  assert.deepEqual(
    rs.map((r) => [r.typed, r.recognised, r.skill?.code, r.score, r.why]),
    [
      ['sql', true, '100025', 0.93, 'libellé exact'],
      ['apache spark', false, undefined, undefined, 'aucun élément de la fiche ne ressemble assez'],
    ],
  );
  assert.deepEqual(resolutions(metier({})), [], 'an API without the member shows nothing');
  // the spellings of the skills branch's domain type (Item, Matched, Suggestion) are read too
  const alt = resolutions(metier({ resolutions: [{ input: 'sql', recognised: true, item: sql, matched: 'SQL' }, { input: 'spark', recognised: false, note: 'non reconnu', suggestion: 'Apache Spark' }] }));
  assert.deepEqual(alt.map((r) => [r.skill?.code, r.matchedLabel, r.suggestion]), [['100025', 'SQL', undefined], [undefined, undefined, 'Apache Spark']]);
  assert.deepEqual(resolutions(metier({ [N.resolutions]: 'oops' })), []);
});

test('proposals from a CV keep the span that triggered them; items without an IRI are not proposals', () => {
  const ps = proposals([
    { ...sql, [N.span]: 'requêtes SQL sur PostgreSQL', [N.score]: 0.8 },
    { code: '1', label: 'sans IRI' },
    { ...sql, '@id': ITEM + '100024', code: '100024', label: 'Langage Python' },
  ]);
  assert.deepEqual(
    ps.map((p) => [p.skill.code, p.span, p.score]),
    [
      ['100025', 'requêtes SQL sur PostgreSQL', 0.8],
      ['100024', undefined, undefined],
    ],
  );
  assert.deepEqual(proposals(undefined), []);
  const nested = proposals([{ item: sql, matched: 'SQL', excerpt: 'SQL', start: 10, end: 13, score: 1 }]);
  assert.deepEqual(nested.map((p) => [p.skill.code, p.span]), [['100025', 'SQL']], 'a proposal shaped like the domain type is read too');
});

test('partially owned skills keep the level the person gave', () => {
  const p = partial(metier({ [N.partial]: [{ ...sql, level: 2 }, { label: 'incomplet' }] }));
  assert.deepEqual(p.map((s) => [s.code, s.level]), [['100025', 2]]);
});

test('source dates: the data date beside the import date, in French', () => {
  const s = { '@id': 'g', title: 'Offres', synthetic: false, modified: '2026-11-23T07:00:00Z', [N.issued]: '2025-01-31', [N.temporal]: '2024-06/2025-01' } as Source;
  assert.deepEqual(sourceDates(s), { issued: '2025-01-31', temporal: '2024-06/2025-01', imported: '2026-11-23T07:00:00Z' });
  assert.equal(dataDateText(s), 'Données du 31 janvier 2025 (période de juin 2024 à janvier 2025)');
  assert.match(sourceText('g', new Map([['g', s]]) as Sources), /données du 31 janvier 2025 \(période de juin 2024 à janvier 2025\) — importé le 23 novembre 2026/);
  const objPeriod = { '@id': 'g', title: 'x', synthetic: false, [N.temporal]: { start: '2024', end: '2025' } } as Source;
  assert.equal(dataDateText(objPeriod), 'Période de 2024 à 2025');
  const fromTo = { '@id': 'g', title: 'x', synthetic: false, issued: '2025-02-01', temporal: { from: '2024-02', to: '2025-01' } } as Source;
  assert.equal(dataDateText(fromTo), 'Données du 1 février 2025 (période de février 2024 à janvier 2025)');
  assert.equal(dataDateText({ '@id': 'g', title: 'x', synthetic: false, modified: '2026-11-23' }), 'date non transmise');
  assert.match(sourceText('g', new Map([['g', { '@id': 'g', title: 'x', synthetic: false, modified: '2026-11-23' }]])), /mis à jour le 23 novembre 2026/, 'without a data date, the import date is said as before');
  assert.equal(periodFr('2024-03-01/2024-06-30'), 'de 1 mars 2024 à 30 juin 2024');
  assert.equal(periodFr('2023'), '2023');
});

test('synthetic figures: only an explicit true marks them', () => {
  assert.equal(isSynthetic({ value: 3, [N.synthetic]: true } as Figure), true);
  assert.equal(isSynthetic({ value: 3, [N.synthetic]: 'true' } as unknown as Figure), false);
  assert.equal(isSynthetic({ value: 3 }), false);
  assert.equal(isSynthetic(undefined), false);
});

test('score coverage: the API value when sent, otherwise the known lights of the cell', () => {
  const light = (axis: Light['axis'], color: Light['color']): Light => ({ axis, color, rule: '', inputs: {}, thresholds: {}, explanation: '' });
  const lights = [light('market', 'green'), light('pay', 'unknown'), light('skills', 'red'), light('training', 'unknown'), light('life', 'amber')];
  const cell = { lights, score: 100 } as unknown as Cell;
  assert.deepEqual(coverage(cell), { known: 3, total: 5, fromApi: false });
  assert.equal(coverageText(coverage(cell)!), '3/5 axes connus');
  assert.deepEqual(coverage({ ...cell, [N.coverage]: { known: 4, of: 5 } } as Cell), { known: 4, total: 5, fromApi: true });
  assert.deepEqual(coverage({ ...cell, coverage: { known: 2, total: 5 } } as Cell), { known: 2, total: 5, fromApi: true });
  assert.deepEqual(coverage({ metier: 'm', zone: 'z', score: 50, reason: '' }, lights.slice(0, 2)), { known: 1, total: 2, fromApi: false });
  assert.equal(coverageText({ known: 1, total: 5, fromApi: true }), '1/5 axe connu');
  assert.equal(coverage({ metier: 'm', zone: 'z', score: 50, reason: '' }), undefined, 'no lights, no coverage: nothing invented');
});

test('training window and companies note: read when sent, absent otherwise', () => {
  const cell = {
    trainingWindow: { from: '2025-02-01', until: '2025-07-31', dataUntil: '2025-01-20', recent: true, note: 'aucune session à venir' },
    companiesNote: '130 employeurs, classés par nombre d’offres',
  } as unknown as Cell;
  assert.deepEqual(trainingWindow(cell), { from: '2025-02-01', until: '2025-07-31', dataUntil: '2025-01-20', recent: true, note: 'aucune session à venir' });
  assert.equal(companiesNote(cell), '130 employeurs, classés par nombre d’offres');
  assert.equal(trainingWindow({} as Cell), undefined);
  assert.equal(companiesNote(undefined), undefined);
  assert.equal(isPast({ past: true }), true);
  assert.equal(isPast({ past: 'yes' }), false);
});
