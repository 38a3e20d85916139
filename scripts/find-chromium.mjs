/**
 * Finds the Chromium the end-to-end tests drive, in this order:
 *   1. PLAYWRIGHT_CHROMIUM_EXECUTABLE (an explicit choice; a wrong path is reported, not skipped),
 *   2. /usr/bin/chromium (Debian), 3. /usr/bin/chromium-browser (Ubuntu, Fedora),
 *   4. the browser `npx playwright install chromium` downloaded, when that file exists.
 * Used by playwright.config.ts and scripts/test.mjs; run directly, it prints the path or how to get one.
 *
 * @example
 * import { findChromium } from './find-chromium.mjs';
 * const found = findChromium();
 * if (!found.executablePath) console.error(found.help);
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const CHROMIUM_ENV = 'PLAYWRIGHT_CHROMIUM_EXECUTABLE';
const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Flags for Chromium in a container or CI box: no sandbox (often root), no GPU, no network but ours. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export const CHROMIUM_HELP = [
  'No Chromium found for the end-to-end tests. Get one of these:',
  '  - Debian:                 sudo apt-get install -y chromium',
  '  - where downloads work:   npx playwright install chromium',
  `  - a Chromium you have:    export ${CHROMIUM_ENV}=/path/to/chromium`,
].join('\n');

function isExecutableFile(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Playwright's own download location; undefined when playwright-core is not installed. */
function playwrightChromiumPath() {
  const require = createRequire(import.meta.url);
  for (const name of ['playwright-core', '@playwright/test']) {
    try {
      const path = require(name).chromium.executablePath();
      if (typeof path === 'string' && path.length > 0) return path;
    } catch {
      // Not installed or no browser registry: try the next one.
    }
  }
  return undefined;
}

/**
 * @returns {{ executablePath: string, source: string } | { executablePath: undefined, help: string }}
 */
export function findChromium(env = process.env) {
  const fromEnv = env[CHROMIUM_ENV];
  if (fromEnv) {
    if (isExecutableFile(fromEnv)) return { executablePath: fromEnv, source: CHROMIUM_ENV };
    return { executablePath: undefined, help: `${CHROMIUM_ENV} is set to "${fromEnv}", which is not an executable file.\n${CHROMIUM_HELP}` };
  }
  for (const path of SYSTEM_PATHS) if (isExecutableFile(path)) return { executablePath: path, source: 'system' };
  const downloaded = playwrightChromiumPath();
  if (downloaded && isExecutableFile(downloaded)) return { executablePath: downloaded, source: 'playwright' };
  return { executablePath: undefined, help: CHROMIUM_HELP };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = findChromium();
  if (found.executablePath) {
    console.log(found.executablePath);
  } else {
    console.error(found.help);
    process.exitCode = 1;
  }
}
