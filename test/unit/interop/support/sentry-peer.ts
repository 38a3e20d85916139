import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const PEER_SCRIPT = fileURLToPath(new URL('../fixtures/sentry-peer.cjs', import.meta.url));

/** One envelope item: its header and its JSON payload. */
export interface EnvelopeItem {
  header: { type: string; [key: string]: unknown };
  payload: Record<string, any>;
}

/** An envelope as Sentry's transport sent it. */
export interface Envelope {
  header: Record<string, any>;
  items: EnvelopeItem[];
}

/** Parses a Sentry envelope made only of JSON items (https://develop.sentry.dev/sdk/data-model/envelopes/). */
export function parseEnvelope(body: string): Envelope {
  const lines = body.split('\n').filter((line) => line.length > 0);
  const items: EnvelopeItem[] = [];
  for (let index = 1; index + 1 < lines.length; index += 2) items.push({ header: JSON.parse(lines[index]), payload: JSON.parse(lines[index + 1]) });
  return { header: JSON.parse(lines[0]), items };
}

/** A loopback Sentry ingest: takes envelopes at `/api/<project>/envelope/` and keeps them. */
export interface EnvelopeCollector {
  dsn: string;
  envelopes: Envelope[];
  /** The transaction items received, with the header of the envelope each came in. */
  transactions(): Array<{ envelope: Record<string, any>; event: Record<string, any> }>;
  close(): Promise<void>;
}

export async function startEnvelopeCollector(): Promise<EnvelopeCollector> {
  const envelopes: Envelope[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      if (request.url?.includes('/envelope/')) envelopes.push(parseEnvelope(body.toString('utf8')));
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://interoppublickey@127.0.0.1:${port}/1`,
    envelopes,
    transactions: () => envelopes.flatMap((envelope) => envelope.items.filter((item) => item.header.type === 'transaction').map((item) => ({ envelope: envelope.header, event: item.payload }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A message from the peer process (see fixtures/sentry-peer.cjs). */
export interface PeerMessage {
  type: string;
  [key: string]: any;
}

/** A child process running `@sentry/node` (never in the test's own process, so its patches stay there). */
export interface SentryPeer {
  readonly messages: PeerMessage[];
  /** Resolves with the first message of `type` not yet taken; rejects if the process exits first. */
  next(type: string): Promise<PeerMessage>;
  send(message: PeerMessage): void;
  /** Asks the peer to flush Sentry and leave; resolves once it has. */
  stop(): Promise<void>;
}

export function startSentryPeer(env: Record<string, string>): SentryPeer {
  const child: ChildProcess = fork(PEER_SCRIPT, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const messages: PeerMessage[] = [];
  const taken = new Set<PeerMessage>();
  const waiters: Array<() => void> = [];
  let output = '';
  let exited = false;
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const wake = (): void => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.on('message', (message: PeerMessage) => {
    messages.push(message);
    wake();
  });
  child.on('exit', () => {
    exited = true;
    wake();
  });
  const next = (type: string): Promise<PeerMessage> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = messages.find((message) => message.type === type && !taken.has(message));
        if (found) {
          taken.add(found);
          resolve(found);
        } else if (exited) {
          reject(new Error(`the Sentry peer exited before sending "${type}". Its output:\n${output}`));
        } else {
          waiters.push(check);
        }
      };
      check();
    });
  return {
    messages,
    next,
    send: (message) => child.send(message),
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      await next('stopped');
      await gone;
    },
  };
}
