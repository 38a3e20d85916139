import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startEnvelopeCollector, startSentryPeer } from './support/sentry-peer';

const PEER_TIMEOUT_MS = 60_000;
const SOURCE = fileURLToPath(new URL('../../../src/node/sentry.ts', import.meta.url));
const outputDirectory = mkdtempSync(join(tmpdir(), 'isometer-sentry-active-'));

afterAll(() => rmSync(outputDirectory, { recursive: true, force: true }));

describe('isSentryActive against the real @sentry/node (in a child process)', () => {
  it('is false before Sentry.init, true after it, and false again after Sentry.close', { timeout: PEER_TIMEOUT_MS }, async () => {
    // The child is plain Node: it loads the function compiled to CommonJS.
    const compiled = join(outputDirectory, 'sentry.cjs');
    buildSync({ entryPoints: [SOURCE], outfile: compiled, bundle: true, platform: 'node', format: 'cjs', external: ['@sentry/node'], logLevel: 'silent' });
    const collector = await startEnvelopeCollector();
    const peer = startSentryPeer({ ROLE: 'detect', SENTRY_DSN: collector.dsn, SENTRY_ACTIVE_MODULE: compiled });
    try {
      const detected = await peer.next('detected');
      expect(detected).toMatchObject({ beforeInit: false, afterInit: true, afterClose: false });
    } finally {
      await peer.stop();
      await collector.close();
    }
  });
});
