import { createSocket, type Socket } from 'node:dgram';
import { decodeStatsd } from './decode-statsd';
import type { ViewerStore } from './viewer-store';

/**
 * A UDP socket taking StatsD/DogStatsD datagrams into the store; lines it cannot read are
 * counted as `invalid_statsd`. Resolves once bound (to `port`, 0 for any free one).
 *
 * @example
 * const statsd = await listenForStatsd(store, 8125, '127.0.0.1');
 * statsd.address().port;
 */
export function listenForStatsd(store: ViewerStore, port: number, host: string): Promise<Socket> {
  const lastGauges = new Map<string, number>();
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (message) => {
    const { batches, rejected } = decodeStatsd(message.toString('utf8'), lastGauges);
    // The gauge memory is per series; like the store's, it must not grow without bound.
    if (lastGauges.size > store.limits.maxSeries) lastGauges.delete(lastGauges.keys().next().value as string);
    for (const batch of batches) store.ingest(batch);
    if (rejected > 0) store.reject('invalid_statsd', rejected);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      // A socket error after binding (ICMP unreachable and the like) must not end the viewer.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}
