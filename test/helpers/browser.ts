import { existsSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { tempDir } from './repo.js';

/**
 * A real headless Chromium: Debian's `chromium` package, driven by playwright-core (which never
 * downloads a browser of its own). `.ci/run` installs the package when it is missing; where it
 * is absent the browser tests report themselves skipped with the line that installs it.
 */
export const CHROMIUM = process.env.SPECFLOW_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const INSTALL_CHROMIUM = 'apt-get install -y chromium';

if (!HAVE_CHROMIUM) console.warn(`The board's browser tests are skipped: no ${CHROMIUM}. Install it with: ${INSTALL_CHROMIUM}`);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One browser with a fresh profile (a temporary --user-data-dir, removed with the test's folders). */
export async function launchBrowser(): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(tempDir('specflow-chromium-'), { executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 120_000 });
}
