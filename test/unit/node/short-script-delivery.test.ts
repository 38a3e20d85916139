import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, runChild, type BuiltFixture } from '../../support/child-app';
import { sumPointsIn } from '../../support/otlp-json-sum-points';

/**
 * A short script (ESM with top-level await, and CJS) records 40 series and then awaits `close()`
 * or simply ends, while a loopback OTLP collector fails its first request once (503, a reset
 * connection, a slow answer) and then recovers. Every series must arrive: the old code let the
 * process end under the retry (ESM exit 13, CJS exit 0, nothing delivered).
 */

const SERIES = 40;
const SLOW_ANSWER_MS = 1500;
type Fault = '503' | 'reset' | 'slow';

let fixture: BuiltFixture;
let server: Server;
let collectorUrl: string;
let fault: Fault = '503';
let requests = 0;
let delivered = 0;

beforeAll(async () => {
  fixture = await buildFixture({
    esm: fileURLToPath(new URL('../../fixtures/short-script-app.mjs', import.meta.url)),
    cjs: fileURLToPath(new URL('../../fixtures/short-script-app.cjs', import.meta.url)),
  });
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests++;
      if (requests === 1 && fault === '503') return void response.writeHead(503).end();
      if (requests === 1 && fault === 'reset') return void request.socket.destroy();
      const accept = (): void => {
        delivered += sumPointsIn(Buffer.concat(chunks));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      };
      if (requests === 1 && fault === 'slow') setTimeout(accept, SLOW_ANSWER_MS);
      else accept();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  fixture.remove();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe.each(['esm', 'cjs'] as const)('a short %s script', (format) => {
  describe.each(['503', 'reset', 'slow'] as const)('when the collector’s first answer is %s', (firstAnswer) => {
    it.each(['close', 'ends'] as const)('delivers every series when it %s', async (ending) => {
      fault = firstAnswer;
      requests = 0;
      delivered = 0;
      const app = runChild(fixture.files[format], [ending], { COLLECTOR_URL: collectorUrl });
      expect(await app.exit()).toEqual({ code: 0, signal: null });
      expect(app.stderr()).toBe('');
      expect(app.events).toEqual(ending === 'close' ? [{ event: 'closed', ok: true }] : []);
      expect(requests).toBe(firstAnswer === 'slow' ? 1 : 2);
      expect(delivered).toBe(SERIES);
    });
  });
});
