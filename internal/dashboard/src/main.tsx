// Entry point of the tableau de bord: layout, hash routing, and the import
// of a shared link (project only) into the browser state.
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { listZones } from './api';
import { DiagnosticScreen } from './diagnostic';
import { ExportScreen, PrintScreen } from './export';
import { loadGeometry } from './map';
import { ProjetScreen } from './projet';
import { projectFromQuery, store, useRoute, useStore } from './state';

const TITLES = { projet: 'Projet', diagnostic: 'Diagnostic', export: 'Export', impression: "Vue d'impression" } as const;

function importSharedLink() {
  const h = location.hash.replace(/^#\/?/, '');
  const [path, qs] = h.split('?');
  if (!qs) return;
  const p = projectFromQuery(new URLSearchParams(qs));
  if (p) store.setProject(p);
  // drop the query so later edits of the project are not overwritten on reload
  history.replaceState(null, '', `${location.pathname}#/${path || 'diagnostic'}`);
}

async function loadZones() {
  try {
    const r = await listZones();
    store.setZones(new Map(r.items.map((z) => [z.code, z.label])));
  } catch {
    // the API is down or old: the map geometry still names the 22 zones
    const g = await loadGeometry().catch(() => []);
    store.setZones(new Map(g.map((f) => [f.properties.ze2020, f.properties.libze2020])));
  }
}

function App() {
  useStore();
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    document.title = `${TITLES[route.screen]} — Open Emploi 360`;
    if (first.current) {
      first.current = false;
      return;
    }
    // move focus to the new screen so keyboard and screen reader users follow
    const h = main.current?.querySelector<HTMLElement>('h1');
    h?.setAttribute('tabindex', '-1');
    h?.focus();
  }, [route.screen]);
  const tabs = (['projet', 'diagnostic', 'export'] as const).map((k) => (
    <li>
      <a href={`#/${k}`} aria-current={route.screen === k ? 'page' : undefined} data-testid={`nav-${k}`}>
        {TITLES[k]}
      </a>
    </li>
  ));
  return (
    <>
      <a class="skip" href="#contenu" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>
        Aller au contenu
      </a>
      <header class="top no-print">
        <div class="brand">
          <span class="logo" aria-hidden="true">OE</span>
          <span>
            <strong>Open Emploi 360</strong>
            <span class="tagline">Mobilité des cadres en région Sud</span>
          </span>
        </div>
        <nav aria-label="Écrans">
          <ul class="tabs">{tabs}</ul>
        </nav>
      </header>
      <main id="contenu" ref={main} tabIndex={-1}>
        {route.screen === 'projet' ? <ProjetScreen /> : null}
        {route.screen === 'diagnostic' ? <DiagnosticScreen /> : null}
        {route.screen === 'export' ? <ExportScreen /> : null}
        {route.screen === 'impression' ? <PrintScreen /> : null}
      </main>
      <footer class="foot no-print">
        Open Emploi 360 — logiciel libre (Apache-2.0). Données ouvertes : chaque chiffre indique sa source au survol ou
        au focus.
      </footer>
    </>
  );
}

importSharedLink();
addEventListener('hashchange', importSharedLink);
loadZones();
render(<App />, document.getElementById('app')!);
