/**
 * hot-shots with its defaults (DogStatsD tags, no client-side aggregation, no buffering: one UDP
 * datagram per call) sending to a loopback port where nothing listens, so each call pays for
 * formatting and the send, as it would in production, and nothing is received.
 */
import * as dgram from 'node:dgram';
import StatsD from 'hot-shots';

/** A UDP port that was free a moment ago: bind to port 0, read the number, let it go. */
async function closedUdpPort() {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

export async function startHotShots() {
  const stats = { errors: 0 };
  const client = new StatsD({
    host: '127.0.0.1',
    port: await closedUdpPort(),
    errorHandler: () => {
      stats.errors++;
    },
  });
  return { client, stats, stop: () => new Promise((resolve) => client.close(() => resolve())) };
}
