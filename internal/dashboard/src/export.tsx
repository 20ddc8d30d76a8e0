// Screen "Export" (print view, JSON-LD, CSV, share link) and the print
// view itself. The share link carries the project only, never the profile.
import { useState } from 'preact/hooks';
import type { Diagnostic, Figure } from './api';
import { AXES, cellOf, COLORS, COMPARISON, DiagnosticView, useDiagnostic } from './diagnostic';
import { hasProfile, shareQuery, store, useStore } from './state';

/** csvOf renders the comparison table for French spreadsheets: ';' separators, decimal comma, BOM. */
export function csvOf(d: Diagnostic): string {
  const axes = Object.keys(AXES);
  const head = ['code_metier', 'metier', 'code_zone', 'zone', ...COMPARISON.map((r) => r.label), ...axes.map((a) => `feu ${AXES[a]}`)];
  const esc = (s: string) => (/[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const cellText = (v: Figure | string | undefined) => {
    if (typeof v === 'string') return v;
    if (!v || typeof v.value !== 'number') return '';
    return String(v.value).replace('.', ',');
  };
  const lines = [head.map(esc).join(';')];
  for (const m of d.metiers)
    for (const z of d.zones) {
      const c = cellOf(d, m['@id'], z['@id']);
      const lights = axes.map((a) => {
        const l = c?.lights?.find((x) => x.axis === a);
        return l ? (COLORS[l.color] || COLORS.unknown).word : '';
      });
      lines.push([m.code, m.label, z.code, z.label, ...COMPARISON.map((r) => cellText(r.get(c))), ...lights].map(esc).join(';'));
    }
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** jsonldOf makes the context absolute so the downloaded file stands alone. */
export function jsonldOf(d: Diagnostic): string {
  const ctx = d['@context'];
  const out = { ...d, '@context': typeof ctx === 'string' && ctx.startsWith('/') ? location.origin + ctx : ctx };
  return JSON.stringify(out, null, 2);
}

export function shareLink(): string {
  return `${location.origin}${location.pathname}#/diagnostic?${shareQuery(store.project)}`;
}

export function ExportScreen() {
  const s = useStore();
  const { d, error, loading } = useDiagnostic();
  const [copied, setCopied] = useState('');
  const link = shareLink();
  const stamp = new Date().toISOString().slice(0, 10);
  return (
    <div class="screen">
      <h1>Exporter le diagnostic</h1>
      {loading ? <p class="notice" role="status">Calcul du diagnostic…</p> : null}
      {error ? (
        <p class="notice error" role="alert">
          {error.message}
        </p>
      ) : null}
      <div class="export-grid">
        <section class="card">
          <h2>Vue d'impression</h2>
          <p>Une version A4 du diagnostic pour l'entretien avec le consultant, avec les explications des feux.</p>
          <a class="btn primary" href="#/impression" data-testid="print-view">
            Ouvrir la vue d'impression
          </a>
        </section>
        <section class="card">
          <h2>Données</h2>
          <p>Le diagnostic complet en JSON-LD, et le tableau de comparaison en CSV (séparateur point-virgule).</p>
          <div class="actions">
            <button type="button" class="btn" disabled={!d} data-testid="download-jsonld" onClick={() => d && download(`diagnostic-${stamp}.jsonld`, 'application/ld+json', jsonldOf(d))}>
              Télécharger le JSON-LD
            </button>
            <button type="button" class="btn" disabled={!d} data-testid="download-csv" onClick={() => d && download(`comparaison-${stamp}.csv`, 'text/csv;charset=utf-8', csvOf(d))}>
              Télécharger le CSV
            </button>
          </div>
        </section>
        <section class="card">
          <h2>Lien de partage</h2>
          <p>
            Le lien contient les métiers, les zones et la situation actuelle.{' '}
            <strong>Il ne contient jamais le profil</strong>
            {hasProfile(s.profile) ? ' : la personne qui l’ouvre verra le diagnostic sans vos compétences ni vos revenus.' : '.'}
          </p>
          <label for="share-link">Lien</label>
          <div class="inline">
            <input id="share-link" type="text" readOnly value={link} data-testid="share-link" onFocus={(e) => (e.target as HTMLInputElement).select()} />
            <button
              type="button"
              class="btn"
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(link);
                  setCopied('Lien copié.');
                } catch {
                  setCopied('Copie impossible : sélectionnez le lien et copiez-le.');
                }
              }}
            >
              Copier
            </button>
          </div>
          <p role="status" aria-live="polite" class="status">
            {copied}
          </p>
        </section>
      </div>
    </div>
  );
}

export function PrintScreen() {
  const s = useStore();
  const { d, error, loading } = useDiagnostic();
  const p = s.project;
  const zl = (c: string) => s.zonesIndex.get(c) || c;
  return (
    <div class="screen print-screen">
      <div class="no-print actions">
        <a class="btn" href="#/export">
          Retour
        </a>
        <button type="button" class="btn primary" onClick={() => print()}>
          Imprimer (A4)
        </button>
      </div>
      <header class="print-head">
        <h1>Open Emploi 360 — diagnostic de mobilité</h1>
        <p>
          Métiers cibles : {p.metiers.map((m) => `${m.label} (${m.code})`).join(', ') || '—'}
          <br />
          Zones candidates : {p.zones.map(zl).join(', ') || '—'}
          <br />
          Situation actuelle : {p.current.metier ? `${p.current.metier.label} (${p.current.metier.code})` : 'métier non renseigné'},{' '}
          {p.current.zone ? zl(p.current.zone) : 'zone non renseignée'}
        </p>
      </header>
      {loading ? <p role="status">Calcul du diagnostic…</p> : null}
      {error ? <p role="alert">{error.message}</p> : null}
      {d ? <DiagnosticView d={d} print /> : null}
    </div>
  );
}
