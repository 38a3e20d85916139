import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { debugLogger } from '../../core/internal/debug-logger';

/** A UDP link to one StatsD daemon. */
export interface StatsdTransport {
  /** Sends every datagram; resolves with the first error (DNS, socket, refusal) or undefined. Never rejects. */
  send(datagrams: readonly Buffer[]): Promise<Error | undefined>;
  /** Closes the socket; a later `send` opens a new one. Never rejects. */
  close(): Promise<void>;
}

interface Connection {
  attempt: number;
  socket: Socket;
  /** The first asynchronous error the socket reported ('error' event). */
  error?: Error;
  closed: boolean;
}

/**
 * Opens the socket on first use: resolves `host` once, connects an unref'd UDP socket to the
 * address (so it never keeps the process alive), and reuses it. Any error — a failed lookup,
 * a failed send, a refusal the kernel reports — closes it, so the next send resolves the host
 * again. Errors are returned, never thrown, and the socket always has an 'error' listener.
 *
 * The socket is connected because only then does Linux report ICMP "port unreachable" (nothing
 * listening) back to the sender, as ECONNREFUSED on a later send or as an 'error' event.
 *
 * @example
 * const transport = createStatsdTransport('127.0.0.1', 8125);
 * const error = await transport.send([Buffer.from('page.views:1|c')]); // undefined when sent
 * await transport.close();
 */
export function createStatsdTransport(host: string, port: number): StatsdTransport {
  let connecting: Promise<Connection> | undefined;
  let attempts = 0;
  let connectingAttempt = 0;

  const connect = (): Promise<Connection> => {
    if (!connecting) {
      const attempt = ++attempts;
      const opening = open(host, port, attempt);
      connecting = opening;
      connectingAttempt = attempt;
      opening.catch(() => {
        if (connecting === opening) connecting = undefined;
      });
    }
    return connecting;
  };

  const forget = (stale: Connection): void => {
    if (connectingAttempt === stale.attempt) connecting = undefined;
    closeQuietly(stale);
  };

  return {
    async send(datagrams) {
      let connection: Connection;
      try {
        connection = await connect();
        if (connection.error) {
          // Reported after the previous send had finished (a refusal from a remote host arrives a
          // round trip later): that batch is gone, but the address may be stale, so look it up again.
          debugLogger.warnOnce('statsd:late-error', `statsd ${host}:${port}: ${connection.error.message}; reconnecting.`);
          forget(connection);
          connection = await connect();
        }
      } catch (error) {
        return asError(error);
      }
      const results = await Promise.all(datagrams.map((datagram) => sendOne(connection.socket, datagram)));
      await afterPendingSocketEvents();
      const error = results.find((result) => result !== undefined) ?? connection.error;
      if (error) forget(connection);
      return error;
    },
    async close() {
      const pending = connecting;
      connecting = undefined;
      if (!pending) return;
      try {
        const connection = await pending;
        await new Promise<void>((resolve) => closeQuietly(connection, resolve));
      } catch {
        // The lookup or connect failed: nothing is open.
      }
    },
  };
}

async function open(host: string, port: number, attempt: number): Promise<Connection> {
  const { address, family } = await lookup(host);
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  const connection: Connection = { attempt, socket, closed: false };
  socket.on('error', (error) => {
    connection.error ??= error;
  });
  socket.unref();
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve();
      });
      socket.connect(port, address);
    });
  } catch (error) {
    closeQuietly(connection);
    throw error;
  }
  return connection;
}

function sendOne(socket: Socket, datagram: Buffer): Promise<Error | undefined> {
  return new Promise((resolve) => {
    try {
      socket.send(datagram, (error) => resolve(error ?? undefined));
    } catch (error) {
      // A socket closed under a concurrent send throws instead of calling back.
      resolve(asError(error));
    }
  });
}

/**
 * Waits until the event loop has polled once more. On loopback the kernel queues a refusal on the
 * socket before `send` returns, and libuv delivers it as an 'error' event in the next poll phase:
 * two check-phase hops put one poll phase in between, so the batch that was refused is the one
 * that reports it.
 */
function afterPendingSocketEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

function closeQuietly(connection: Connection, done?: () => void): void {
  if (connection.closed) {
    done?.();
    return;
  }
  connection.closed = true;
  try {
    connection.socket.close(done);
  } catch {
    // Already closed by Node (a failed bind): nothing left to release.
    done?.();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
