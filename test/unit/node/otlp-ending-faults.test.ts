import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, runChild, type BuiltFixture } from '../../support/child-app';
import { sumPointsIn } from '../../support/otlp-json-sum-points';

/**
 * A short script (ESM and CJS, in a child process) records 40 series and awaits `close()` against
 * a loopback OTLP collector that fails: 500, 429 with Retry-After, a reset connection, or no answer
 * at all. A fault the collector recovers from within the close's timeout loses nothing and close
 * says true; one it does not recover from is counted point by point, exactly once, and close says
 * false. Either way the process exits as it would have (code 0), never held past the timeout.
 */

const SERIES = 40;
const CLOSE_TIMEOUT_MS = 4000;
type Answer = { status: number; headers?: Record<string, string> } | 'reset' | 'hang';

let fixture: BuiltFixture;
let server: Server;
let collectorUrl: string;
let answer: (request: number) => Answer = () => ({ status: 200 });
let requests = 0;
let delivered = 0;

beforeAll(async () => {
  fixture = await buildFixture(fileURLToPath(new URL('../../fixtures/otlp-ending-app.mjs', import.meta.url)));
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = answer(requests++);
      if (reply === 'reset') return void request.socket.destroy();
      if (reply === 'hang') return;
      if (reply.status === 200) {
        delivered += sumPointsIn(Buffer.concat(chunks));
      }
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end('{}');
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

async function run(format: 'esm' | 'cjs', respond: (request: number) => Answer) {
  answer = respond;
  requests = 0;
  delivered = 0;
  const app = runChild(fixture.files[format], [], { COLLECTOR_URL: collectorUrl, CLOSE_TIMEOUT_MS: String(CLOSE_TIMEOUT_MS) });
  const exit = await app.exit();
  // A request left hanging is let go, so the next test starts clean.
  server.closeAllConnections();
  return { exit, events: app.events, stderr: app.stderr() };
}

const once =
  (fault: Answer) =>
  (request: number): Answer =>
    request === 0 ? fault : { status: 200 };

describe.each(['esm', 'cjs'] as const)('a short %s script closing against a failing OTLP collector', (format) => {
  it.each([
    ['500', { status: 500 }],
    ['429 with Retry-After: 1', { status: 429, headers: { 'retry-after': '1' } }],
    ['a reset connection', 'reset'],
  ] as const)('%s once, then recovery: every series delivered, close true', async (_label, fault) => {
    const { exit, events } = await run(format, once(fault as Answer));
    expect(exit).toEqual({ code: 0, signal: null });
    expect(events).toEqual([{ event: 'closed', ok: true, dropped: {} }]);
    expect(requests).toBe(2);
    expect(delivered).toBe(SERIES);
  });

  it.each([
    ['500 on every attempt', { status: 500 }, 'network_error'],
    ['429 with a Retry-After longer than the close', { status: 429, headers: { 'retry-after': '3600' } }, 'rate_limited'],
    ['a reset on every attempt', 'reset', 'network_error'],
  ] as const)('%s: every point counted once as %s, close false', async (_label, fault, reason) => {
    const { exit, events } = await run(format, () => fault as Answer);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(events).toEqual([{ event: 'closed', ok: false, dropped: { [reason]: SERIES } }]);
    expect(delivered).toBe(0);
  });

  it('no answer at all: close resolves false at its timeout, every point counted once', async () => {
    const { exit, events } = await run(format, () => 'hang');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(events).toHaveLength(1);
    const [closed] = events as unknown as Array<{ ok: boolean; dropped: Record<string, number> }>;
    expect(closed.ok).toBe(false);
    // Whether the request timed out (network_error) or the close ran out first (export_timeout),
    // each point is counted once.
    expect(Object.values(closed.dropped).reduce((sum, count) => sum + count, 0)).toBe(SERIES);
    expect(delivered).toBe(0);
  });
});
