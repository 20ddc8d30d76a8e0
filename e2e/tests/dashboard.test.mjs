// End-to-end scenario of the tableau de bord in a real browser (Debian
// chromium driven by playwright-core), against a running `openemploi serve`
// given by OPENEMPLOI_URL. The test reads the same API as the page and checks
// that the figures the page shows are the API's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, baseURL, launch } from './browser.mjs';

const METIER = process.env.E2E_METIER || 'M1811';
const METIER_QUERY = process.env.E2E_METIER_QUERY || 'data eng';
const ZONE_NAMES = (process.env.E2E_ZONES || 'Marseille,Nice').split(',');
const CURRENT_ZONE_NAME = process.env.E2E_CURRENT_ZONE || 'Toulon';
const CURRENT_METIER = process.env.E2E_CURRENT_METIER || 'M1805';
const CURRENT_METIER_QUERY = process.env.E2E_CURRENT_METIER_QUERY || 'developpeu';
// How long to wait for an API-backed element (a cold store can be slow).
const WAIT = Number(process.env.E2E_TIMEOUT_MS || 60000);
// Personal data typed into the profile: none of it may appear in a URL.
const PROFILE_SKILL = 'Modélisation SQL avancée';
const WISHED_MIN = '4150';
const WISHED_MAX = '5250';

let base, browser, page;
const requests = [];
const pageErrors = [];
let zones; // API zones {code,label}

async function api(path, init) {
  const res = await fetch(base + path, { ...init, headers: { Accept: 'application/json', ...(init?.headers || {}) } });
  const text = await res.text();
  assert.ok(res.ok, `${init?.method || 'GET'} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

function shot(name, opts = {}) {
  return page.screenshot({ path: join(ARTIFACTS, name), fullPage: true, ...opts });
}

before(async () => {
  base = baseURL();
  zones = (await api('/api/zones')).items;
  browser = await launch();
  page = await browser.context.newPage();
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() || '' }));
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
  });
});

after(async () => {
  await browser?.close();
});

function zoneByName(name) {
  const z = zones.find((x) => x.label === name) || zones.find((x) => x.label.startsWith(name));
  assert.ok(z, `zone "${name}" not in GET /api/zones (${zones.map((x) => x.label).join(', ')})`);
  return z;
}

const state = {};

test('Projet: métier by autocomplete, two zones, current zone and a profile', async () => {
  await page.goto(base + '/#/projet');
  await page.getByRole('heading', { level: 1, name: /projet/i }).waitFor();

  // autocomplete, driven by the keyboard
  const box = page.locator('#metier-search');
  await box.fill(METIER_QUERY);
  const option = page.getByRole('option').filter({ hasText: METIER });
  await option.first().waitFor({ timeout: WAIT });
  const options = await page.getByRole('option').allTextContents();
  const idx = options.findIndex((t) => t.includes(METIER));
  for (let i = 0; i < idx; i++) await box.press('ArrowDown');
  await box.press('Enter');
  await page.locator(`[data-testid="chosen-metiers"] [data-code="${METIER}"]`).waitFor();

  // first zone on the map (click), second in the list (keyboard)
  const [z1, z2] = ZONE_NAMES.map(zoneByName);
  await page.locator(`path[data-zone="${z1.code}"]`).click();
  const cb = page.getByRole('checkbox', { name: z2.label, exact: true });
  await cb.focus();
  await page.keyboard.press('Space');
  assert.equal(await page.locator(`path[data-zone="${z1.code}"]`).getAttribute('aria-checked'), 'true');
  assert.ok(await cb.isChecked(), `${z2.label} checked in the list`);
  // the map is keyboard operable too: Space on a focused zone toggles it
  const other = zones.find((z) => z.code !== z1.code && z.code !== z2.code);
  const path = page.locator(`path[data-zone="${other.code}"]`);
  await path.focus();
  await page.keyboard.press('Space');
  assert.equal(await path.getAttribute('aria-checked'), 'true', `${other.label} chosen with the keyboard on the map`);
  await page.keyboard.press('Space');
  assert.equal(await path.getAttribute('aria-checked'), 'false', `${other.label} removed with the keyboard on the map`);
  state.zones = [z1, z2];

  // current métier, accent-free query, chosen with the mouse this time
  await page.locator('#current-metier').fill(CURRENT_METIER_QUERY);
  await page.getByRole('option').filter({ hasText: CURRENT_METIER }).first().click({ timeout: WAIT });
  await page.locator('.current-metier').filter({ hasText: CURRENT_METIER }).waitFor();

  const cur = zoneByName(CURRENT_ZONE_NAME);
  await page.locator('#current-zone').selectOption(cur.code);
  state.current = cur;

  // profile: a skill of the fiche ticked, one typed and rated with the keyboard, a wished income range
  const fiche = page.locator('.fiche-skills details').first();
  await fiche.waitFor({ timeout: WAIT });
  await fiche.locator('summary').click();
  await fiche.locator('input[type="checkbox"]').first().check();
  state.ficheSkill = (await fiche.locator('label.check').first().innerText()).trim();
  await page.locator('#free-skill').fill(PROFILE_SKILL);
  await page.locator('#free-skill').press('Tab');
  await page.keyboard.press('Enter');
  const star3 = page.locator('input[name="lvl-1"][value="3"]');
  await star3.waitFor({ state: 'attached' });
  await star3.focus();
  await page.keyboard.press('ArrowRight'); // 3 → 4, as a keyboard user would
  assert.ok(await page.locator('input[name="lvl-1"][value="4"]').isChecked(), 'star rating operable with arrow keys');
  await page.locator('#inc-wishedMin').fill(WISHED_MIN);
  await page.locator('#inc-wishedMin').press('Tab');
  await page.locator('#inc-wishedMax').fill(WISHED_MAX);
  await page.locator('#inc-wishedMax').press('Tab');

  // pasted CV text → proposed skills; the text is not kept anywhere
  const cv = 'Expérience en Java, intelligence artificielle et anglais technique.';
  await page.locator('#cv-text').fill(cv);
  await page.getByRole('button', { name: 'Proposer des compétences' }).click();
  const proposed = page.getByRole('list', { name: 'Compétences proposées' });
  await proposed.waitFor({ timeout: WAIT });
  assert.ok((await proposed.getByRole('listitem').count()) > 0, 'skills proposed from the CV text');
  assert.equal(await page.locator('#cv-text').inputValue(), '', 'CV text cleared once used');
  // proposals are accepted with checkboxes, then added together
  const addChecked = page.getByRole('button', { name: /Ajouter les compétences cochées/ });
  assert.ok(await addChecked.isDisabled(), 'nothing is added before a proposal is ticked');
  await proposed.getByRole('checkbox').first().check();
  await addChecked.click();
  state.cvSkill = true;
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes('intelligence artificielle et anglais'), 'CV text not kept in the browser');
  await shot('01-projet.png');
});

test('Diagnostic: the figures shown are the API figures', async (t) => {
  const posted = page.waitForRequest((r) => r.url().endsWith('/api/diagnostic') && r.method() === 'POST');
  await page.getByTestId('run-diagnostic').click();
  const req = await posted;
  const body = JSON.parse(req.postData());
  assert.deepEqual(body.metiers, [METIER]);
  assert.deepEqual(body.zones, state.zones.map((z) => z.code));
  assert.equal(body.current?.zone, state.current.code);
  assert.equal(body.current?.metier, CURRENT_METIER);
  assert.match(body.profile?.skills?.[0]?.code || '', /^\d+$/, `the fiche skill "${state.ficheSkill}" is sent by its code`);
  assert.equal(body.profile?.skills?.[1]?.label, PROFILE_SKILL, 'profile sent in the POST body');
  assert.equal(body.profile?.skills?.[1]?.level, 4);
  assert.match(body.profile?.skills?.[2]?.code || '', /^\d+$/, 'the skill proposed from the CV is sent by its code');
  assert.equal(body.profile?.income?.wishedMin, Number(WISHED_MIN));

  await page.getByTestId('lights').waitFor({ timeout: WAIT });
  // the test asks the API the same question and compares
  const d = await api('/api/diagnostic', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  state.d = d;
  const m = d.metiers.find((x) => x.code === METIER);
  assert.ok(m, `${METIER} in the diagnostic`);
  // graphs cited by figures but not described in `sources` (the page then falls back)
  const described = new Set((d.sources || []).map((s) => s['@id']));
  const cited = new Set();
  JSON.stringify(d, (k, v) => (k === 'source' && typeof v === 'string' && cited.add(v), v));
  const undescribed = [...cited].filter((g) => !described.has(g));
  if (undescribed.length) t.diagnostic(`graphs cited by figures but absent from sources: ${undescribed.join(', ')}`);

  // compare the zones side by side: one column per candidate zone
  const heads = await page.locator('[data-testid="comparison"] thead th').allTextContents();
  for (const z of state.zones) assert.ok(heads.some((h) => h.includes(z.label)), `comparison column for ${z.label} in ${heads}`);

  let compared = 0;
  for (const z of d.zones) {
    const cell = d.cells.find((c) => c.metier === m['@id'] && c.zone === z['@id']);
    assert.ok(cell, `cell ${METIER} × ${z.code}`);
    const cdi = (cell.market?.contracts || []).find((x) => (x.code || '').toUpperCase() === 'CDI');
    const expect = {
      offers: cell.market?.offersPerMonth?.value ?? null,
      trend: cell.market?.trend?.value ?? null,
      cdi: cdi?.share?.value ?? null,
      'salary-q1': cell.salary?.q1?.value ?? null,
      'salary-median': cell.salary?.median?.value ?? null,
      'salary-q3': cell.salary?.q3?.value ?? null,
      tension: cell.tension?.indicator?.value ?? null,
      match: cell.skills?.match?.value ?? null,
    };
    for (const [key, want] of Object.entries(expect)) {
      const el = page.getByTestId(`cmp-${METIER}-${z.code}-${key}`);
      const got = await el.getAttribute('data-value');
      const text = (await el.innerText()).trim();
      if (want === null) {
        assert.equal(got, '', `${key} at ${z.label}: API has no value, page shows ${text}`);
        assert.match(text, /donnée indisponible/, `${key} at ${z.label}: missing data must be said, not shown as 0`);
      } else {
        assert.equal(Number(got), want, `${key} at ${z.label}: page ${got}, API ${want}`);
        assert.doesNotMatch(text, /indisponible/);
      }
      compared++;
    }
    // cadre de vie
    for (const [label, f] of [
      ['Population', z.life?.populationFigure],
      ['Taux de chômage', z.life?.unemployment],
      ['Prix de vente au m²', z.life?.pricePerSqm],
      ['Loyer au m²', z.life?.rentPerSqm],
    ]) {
      const got = await page.getByTestId(`life-${z.code}-${label}`).getAttribute('data-value');
      const want = typeof f?.value === 'number' ? String(f.value) : '';
      assert.equal(got, want, `${label} at ${z.label}`);
      compared++;
    }
  }
  // the current situation is a column of its own
  if (d.current) {
    const got = await page.getByTestId('cmp-current-salary-median').getAttribute('data-value');
    const want = d.current.salary?.median?.value;
    assert.equal(got, typeof want === 'number' ? String(want) : '', 'current situation median salary');
    compared++;
  }
  state.compared = compared;

  // the gap: owned and missing skills of the fiche, as the API counts them
  const skillsText = await page.locator('section', { has: page.locator('h2', { hasText: 'Compétences et formations' }) }).first().innerText();
  if (m.owned?.length || m.missing?.length) {
    assert.ok(skillsText.includes(`Compétences acquises (${m.owned?.length || 0})`), `owned count ${m.owned?.length} shown`);
    assert.ok(skillsText.includes(`Compétences à acquérir (${m.missing?.length || 0})`), `missing count ${m.missing?.length} shown`);
  }
  // every typed skill's resolution, when the API gives it (issue 10): one row each, none dropped
  const resolutions = m.resolutions || [];
  assert.equal(await page.locator(`[data-testid="resolutions-${METIER}"] tbody tr`).count(), resolutions.length, 'one resolution row per typed skill');
  const unrecognised = resolutions.filter((r) => r.recognised === false).length;
  assert.equal(await page.locator(`[data-testid="resolutions-${METIER}"] tr[data-recognised="false"]`).count(), unrecognised);

  // every score says on how many axes it rests (issue 11.10)
  for (const c of d.cells.filter((x) => x.metier === m['@id'])) {
    const zc = d.zones.find((z) => z['@id'] === c.zone).code;
    const want = c.coverage ? `${c.coverage.known}/${c.coverage.total}` : `${c.lights.filter((l) => l.color !== 'unknown').length}/${c.lights.length}`;
    assert.equal(await page.getByTestId(`score-${METIER}-${zc}`).getAttribute('data-coverage'), want, `score coverage at ${zc}`);
  }
  // the sources table gives the data's own date beside the import date (issue 11.9)
  const srcHead = await page.locator('table.sources thead th').allTextContents();
  assert.ok(srcHead.includes('Date des données') && srcHead.includes('Import'), `sources columns ${srcHead}`);
  const issued = await page.getByTestId('source-issued').allTextContents();
  assert.equal(issued.length, (d.sources || []).length);
  (d.sources || []).forEach((s, i) => {
    if (s.issued) assert.match(issued[i], /^Données du /, `data date of ${s['@id']}`);
  });
  // figures built on synthetic data are marked where they are shown (issue 11.11)
  let synthFigures = 0;
  JSON.stringify(d, (k, v) => (v && typeof v === 'object' && 'value' in v && v.synthetic === true && synthFigures++, v));
  if (synthFigures) assert.ok((await page.locator('.fig[data-synthetic="true"]').count()) > 0, 'synthetic figures marked on the page');

  // lights: one click away from their explanation
  const firstCell = d.cells.find((c) => c.metier === m['@id'] && c.lights?.length);
  if (firstCell) {
    const zc = d.zones.find((z) => z['@id'] === firstCell.zone).code;
    const l = firstCell.lights[0];
    const btn = page.getByTestId(`light-${METIER}-${zc}-${l.axis}`);
    assert.equal(await btn.getAttribute('data-color'), l.color);
    await btn.click();
    assert.equal(await btn.getAttribute('aria-expanded'), 'true');
    const detail = await page.locator('#light-detail').innerText();
    if (l.explanation) assert.ok(detail.includes(l.explanation), `light detail shows the API explanation "${l.explanation}"`);
    if (l.rule) assert.ok(detail.includes(l.rule), 'light detail shows the rule');
  }
  await shot('02-diagnostic.png');
});

test('Keyboard focus reveals the source of a figure', async () => {
  // start at the comparison table and walk with Tab, as a keyboard user
  await page.getByTestId('comparison').locator('caption').evaluate((el) => {
    el.tabIndex = -1;
    el.focus();
  });
  let found = null;
  for (let i = 0; i < 60 && !found; i++) {
    await page.keyboard.press('Tab');
    const isFig = await page.evaluate(() => document.activeElement?.classList.contains('fig'));
    if (isFig) found = page.locator(':focus');
  }
  assert.ok(found, 'a figure is reachable with Tab');
  const tip = found.locator('.tip');
  assert.ok(await tip.isVisible(), 'tooltip visible on keyboard focus');
  const text = await tip.innerText();
  assert.match(text, /Source|source/, `tooltip names its source: ${text}`);
  const described = await found.getAttribute('aria-describedby');
  assert.equal(await tip.getAttribute('id'), described, 'tooltip is the accessible description');
  // the publisher named by the API for that figure's graph is in the tooltip
  const pubs = (state.d.sources || []).map((s) => s.publisher).filter(Boolean);
  if (pubs.length) assert.ok(pubs.some((p) => text.includes(p)), `tooltip "${text}" names a publisher of ${pubs}`);
  const inTable = await found.evaluate((el) => !!el.closest('[data-testid="comparison"]'));
  assert.ok(inTable, 'the first figure reached from the table caption is in the comparison table');
  // the tooltip lies inside the viewport, not clipped off-screen
  const box = await tip.boundingBox();
  const vp = page.viewportSize();
  assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width, `tooltip inside the viewport: ${JSON.stringify(box)}`);
  await page.screenshot({ path: join(ARTIFACTS, '03-focus-tooltip.png') });
  await page.evaluate(() => document.activeElement?.blur());
});

test('Map colours the candidate zones and marks the current one', async () => {
  for (const z of state.zones) {
    const fill = await page.locator(`.map-section path[data-zone="${z.code}"]`).getAttribute('fill');
    assert.ok(fill && fill !== '#e3e6ee', `${z.label} coloured on the map (fill ${fill})`);
  }
  const cls = await page.locator(`.map-section path[data-zone="${state.current.code}"]`).getAttribute('class');
  assert.match(cls, /\bcur\b/);
  await page.locator('#map-indicator').selectOption('salary');
  await page.locator('.map-section').screenshot({ path: join(ARTIFACTS, '04-map.png') });
});

test('Phone width stays usable', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `no horizontal page scroll at 390 px (overflow ${overflow}px)`);
  await shot('05-diagnostic-phone.png');
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('Export: CSV equals the API, share link carries the project and never the profile', async () => {
  await page.getByTestId('nav-export').click();
  const link = await page.getByTestId('share-link').inputValue();
  const u = new URL(link);
  const q = new URLSearchParams(u.hash.split('?')[1] || '');
  assert.deepEqual(q.getAll('metier'), [METIER]);
  assert.deepEqual(q.getAll('zone'), state.zones.map((z) => z.code));
  assert.equal(q.get('actuel_zone'), state.current.code);
  for (const secret of [PROFILE_SKILL, 'SQL', WISHED_MIN, WISHED_MAX, 'profile', 'skill', 'income', 'wished', 'spouse'])
    assert.ok(!decodeURIComponent(link).includes(secret), `share link ${link} contains profile data "${secret}"`);

  const dl = page.waitForEvent('download');
  await page.getByTestId('download-csv').click();
  const file = await (await dl).path();
  const csv = readFileSync(file, 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
  writeFileSync(join(ARTIFACTS, 'comparaison.csv'), csv.join('\n'));
  const head = csv[0].split(';');
  assert.equal(csv.length, 1 + state.d.metiers.length * state.d.zones.length, 'one CSV row per métier × zone');
  const col = head.indexOf('Salaire proposé, médiane');
  assert.ok(col > 0, `median column in ${head}`);
  for (const row of csv.slice(1)) {
    const cells = row.split(';');
    const z = state.d.zones.find((x) => x.code === cells[2]);
    const m = state.d.metiers.find((x) => x.code === cells[0]);
    const c = state.d.cells.find((x) => x.metier === m['@id'] && x.zone === z['@id']);
    const want = c?.salary?.median?.value;
    assert.equal(cells[col], typeof want === 'number' ? String(want).replace('.', ',') : '', `CSV median at ${z.label}`);
  }

  const dj = page.waitForEvent('download');
  await page.getByTestId('download-jsonld').click();
  const doc = JSON.parse(readFileSync(await (await dj).path(), 'utf8'));
  assert.equal(doc['@type'], 'Diagnostic');
  assert.match(String(doc['@context']), /^https?:\/\//, 'downloaded JSON-LD has an absolute @context');
  await shot('06-export.png');

  // the link opened in a fresh browser gives the project without any profile
  const other = await launch();
  try {
    const p2 = await other.context.newPage();
    const bodies = [];
    p2.on('request', (r) => r.method() === 'POST' && bodies.push(r.postData() || ''));
    await p2.goto(link);
    await p2.getByTestId('lights').waitFor({ timeout: WAIT });
    const html = await p2.content();
    assert.ok(!html.includes(PROFILE_SKILL), 'shared link does not bring the profile');
    assert.ok(bodies.every((b) => !b.includes('profile')), 'no profile posted from the shared link');
    assert.ok((await p2.getByTestId('comparison').innerText()).includes(state.zones[1].label));
  } finally {
    await other.close();
  }
});

test('Print view: A4 layout with the explanations', async () => {
  await page.getByTestId('print-view').click();
  await page.locator('.print-lights').waitFor({ timeout: WAIT });
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false, 'navigation hidden on paper');
  const txt = await page.locator('.print-lights').innerText();
  const expl = state.d.cells.flatMap((c) => c.lights || []).find((l) => l.explanation)?.explanation;
  if (expl) assert.ok(txt.includes(expl), 'print view lists the light explanations');
  await shot('07-print.png');
  const pdf = await page.pdf({ path: join(ARTIFACTS, 'diagnostic-A4.pdf'), format: 'A4', printBackground: true });
  assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
  await page.emulateMedia({ media: 'screen' });
});

test('Accessibility: no WCAG 2.1 A/AA violation found by axe-core on any screen', async () => {
  const axe = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  const found = [];
  for (const screen of ['projet', 'diagnostic', 'export', 'impression']) {
    await page.goto(`${base}/#/${screen}`);
    await page.locator('main h1').first().waitFor();
    if (screen === 'diagnostic') await page.getByTestId('lights').waitFor({ timeout: WAIT });
    await page.evaluate(axe); // through the debugging protocol: the page's CSP does not apply
    const r = await page.evaluate(() => globalThis.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
    assert.ok(r.passes.length > 10, `axe ran on ${screen} (${r.passes.length} rules passed)`);
    for (const v of r.violations) found.push(`${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }
  assert.deepEqual(found, []);
});

test('No third-party request, no profile in any URL, no page error', async () => {
  const origin = new URL(base).origin;
  const foreign = requests.filter((r) => !r.url.startsWith(origin) && !r.url.startsWith('blob:') && !r.url.startsWith('data:'));
  assert.deepEqual(foreign.map((r) => r.url), [], 'every request goes to our own server');
  for (const r of requests) {
    const u = decodeURIComponent(r.url);
    for (const secret of [PROFILE_SKILL, WISHED_MIN, WISHED_MAX]) assert.ok(!u.includes(secret), `profile data in URL ${r.url}`);
    if (!(r.method === 'POST' && r.url.endsWith('/api/diagnostic')))
      assert.ok(!r.body.includes(PROFILE_SKILL), `profile sent outside POST /api/diagnostic: ${r.method} ${r.url}`);
  }
  assert.deepEqual(pageErrors, [], 'no JavaScript error nor CSP violation');
  console.log(`# compared ${state.compared} figures with the API; ${requests.length} requests, all same-origin`);
});
