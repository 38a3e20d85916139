import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';

/** One parsed Sentry envelope: its header and its items as [itemHeader, payload] pairs. */
export interface ReceivedEnvelope {
  header: Record<string, unknown>;
  items: Array<[Record<string, unknown>, unknown]>;
  bytes: number;
}

/** How the server answers one envelope: 200, another status (with headers), a reset connection, or never. */
export type EnvelopeAnswer = { status: number; headers?: Record<string, string> } | 'reset' | 'hang';

/**
 * A loopback HTTP server standing in for a Sentry DSN's host: it accepts every envelope POSTed to
 * /api/<project>/envelope/ and parses it the way Relay does (newline-delimited JSON, gzip aware).
 * `respond` (default: always 200) decides each answer, so an ingest that fails can be played;
 * every envelope received is recorded whatever the answer.
 */
export async function startEnvelopeServer(respond: (envelope: ReceivedEnvelope) => EnvelopeAnswer = () => ({ status: 200 })): Promise<{
  dsn: string;
  envelopes: ReceivedEnvelope[];
  waitFor(predicate: (all: ReceivedEnvelope[]) => boolean, attempts?: number): Promise<void>;
  /** Drops every open connection (requests left hanging included). */
  closeConnections(): void;
  close(): Promise<void>;
}> {
  const envelopes: ReceivedEnvelope[] = [];
  const listeners = new Set<() => void>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const envelope = parseEnvelope(body.toString('utf8'), body.length);
      envelopes.push(envelope);
      const answer = respond(envelope);
      if (answer === 'reset') request.socket.destroy();
      else if (answer !== 'hang') response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end('{}');
      for (const listener of listeners) listener();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    envelopes,
    waitFor(predicate) {
      if (predicate(envelopes)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const check = (): void => {
          if (predicate(envelopes)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
      });
    },
    closeConnections: () => server.closeAllConnections(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Parses Sentry's envelope format: a header line, then an item header line and a payload line per item. */
export function parseEnvelope(text: string, bytes = text.length): ReceivedEnvelope {
  const lines = text.split('\n').filter((line) => line.length > 0);
  const header = JSON.parse(lines[0]) as Record<string, unknown>;
  const items: Array<[Record<string, unknown>, unknown]> = [];
  for (let i = 1; i < lines.length; i += 2) {
    items.push([JSON.parse(lines[i]) as Record<string, unknown>, JSON.parse(lines[i + 1] ?? 'null')]);
  }
  return { header, items, bytes };
}
