// Shared helpers of the browser tests: launch the Debian chromium through
// playwright-core (never a downloaded browser) with a fresh profile.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

export function baseURL() {
  const u = process.env.OPENEMPLOI_URL;
  if (!u) {
    throw new Error(
      'OPENEMPLOI_URL is not set: start `openemploi serve` against a store holding the sample data ' +
        'and run e.g. OPENEMPLOI_URL=http://127.0.0.1:8080 npm test (see e2e/README.md)',
    );
  }
  return u.replace(/\/+$/, '');
}

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'oe-e2e-profile-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
