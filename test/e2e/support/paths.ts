import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, whatever directory Playwright was started from. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DIST_DIR = fileURLToPath(new URL('../../../dist/', import.meta.url));
export const SCRIPT_TAG_BUILD = fileURLToPath(new URL('../../../dist/isometer.min.js', import.meta.url));

/**
 * The dist file a request for the script tag (`/isometer.min.js`) or one of the companions it
 * imports from next to itself (`/isometer.engine.min.js`, `.web-vitals`, `.sentry`) asks for, or
 * undefined for any other path.
 *
 * @example
 * const file = scriptTagFile(request.url); // '/isometer.engine.min.js' → …/dist/isometer.engine.min.js
 */
export function scriptTagFile(urlPath: string | undefined): string | undefined {
  const match = /^\/(isometer(?:\.(?:engine|web-vitals|sentry))?\.min\.js)$/.exec(urlPath ?? '');
  return match ? fileURLToPath(new URL(`../../../dist/${match[1]}`, import.meta.url)) : undefined;
}

/**
 * Fails with the fix in the message when the build the tests load is missing.
 *
 * @example
 * test.beforeAll(() => requireBuild(SCRIPT_TAG_BUILD));
 */
export function requireBuild(file: string): void {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx tsup\` first (\`npm test\` builds before it tests).`);
}
