// Build script of the tableau de bord: bundles src/ into dist/ with esbuild.
//
// Reproducible on purpose: pinned versions (package-lock.json), no timestamps,
// content-hashed asset names, and a manifest (dist/BUILD-INPUTS) holding the
// SHA-256 of every input so the Go test can tell, without Node, whether dist/
// is stale. `node build.mjs --check` rebuilds into a temporary folder and
// fails if the result differs from the committed dist/.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const check = process.argv.includes('--check');
const out = check ? mkdtempSync(join(tmpdir(), 'oe-dist-')) : join(here, 'dist');

// inputs lists the files whose content decides the build, sorted, as paths
// relative to this folder; the Go test hashes the same list.
function inputs() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(join(here, dir)).sort()) {
      const p = join(dir, name);
      if (statSync(join(here, p)).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk('src');
  files.push('build.mjs', 'package-lock.json');
  return files.sort();
}

function manifest() {
  return inputs()
    .map((f) => `${createHash('sha256').update(readFileSync(join(here, f))).digest('hex')}  ${f}\n`)
    .join('');
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await esbuild.build({
  entryPoints: [join(here, 'src/main.tsx'), join(here, 'src/styles.css')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.geojson': 'file', '.svg': 'file' },
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  publicPath: '/assets',
  metafile: true,
  legalComments: 'linked',
  charset: 'utf8',
  logLevel: 'warning',
});

// Pick the hashed names of the two entry points for index.html.
const outs = Object.entries(result.metafile.outputs);
const find = (entry) => {
  const hit = outs.find(([, o]) => o.entryPoint && o.entryPoint.endsWith(entry));
  if (!hit) throw new Error(`build: no output for entry ${entry}`);
  return '/' + relative(out, hit[0]).split('\\').join('/');
};
const html = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replace('%APP_JS%', find('src/main.tsx'))
  .replace('%APP_CSS%', find('src/styles.css'));
writeFileSync(join(out, 'index.html'), html);
writeFileSync(join(out, 'BUILD-INPUTS'), manifest());

const sizes = outs
  .filter(([p]) => !p.endsWith('.LEGAL.txt'))
  .map(([p, o]) => `${relative(out, p)} ${(o.bytes / 1024).toFixed(1)} KiB`);
console.log(sizes.join('\n'));

if (check) {
  const list = (root) => {
    const acc = [];
    const walk = (dir) => {
      for (const name of readdirSync(join(root, dir)).sort()) {
        const p = join(dir, name);
        if (statSync(join(root, p)).isDirectory()) walk(p);
        else acc.push(p);
      }
    };
    walk('.');
    return acc;
  };
  const a = list(out), b = list(join(here, 'dist'));
  const diff = [];
  for (const f of new Set([...a, ...b])) {
    const x = a.includes(f) ? readFileSync(join(out, f)) : null;
    const y = b.includes(f) ? readFileSync(join(here, 'dist', f)) : null;
    if (!x || !y || !x.equals(y)) diff.push(f);
  }
  rmSync(out, { recursive: true, force: true });
  if (diff.length) {
    console.error(`dist/ is stale, run \`npm run build\`: ${diff.join(', ')}`);
    process.exit(1);
  }
  console.log('dist/ is up to date');
}
