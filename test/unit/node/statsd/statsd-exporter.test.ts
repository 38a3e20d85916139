import { createSocket, type Socket } from 'node:dgram';
import * as dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import type { MetricBatch } from '../../../../src/core/export/exporter';
import type { DistributionPoint, MetricPoint } from '../../../../src/core/metrics/types';
import { close, flush, getDroppedCounts, init, memoryExporter, metrics } from '../../../../src/node/index';
import { environmentExporters } from '../../../../src/node/environment-exporters';
import { statsdExporter } from '../../../../src/node/statsd/statsd-exporter';
import { formatStatsdLines, type StatsdFormatOptions } from '../../../../src/node/statsd/statsd-format';
import { resolveStatsdOptions } from '../../../../src/node/statsd/statsd-options';
import { packDatagrams } from '../../../../src/node/statsd/statsd-pack';
import { startStatsdDaemon, type StatsdDaemon } from '../../../support/statsd-daemon';

// Both wrap the real functions, only to count and observe calls.
vi.mock('node:dns/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:dns/promises')>();
  return { ...actual, lookup: vi.fn(actual.lookup) };
});
vi.mock('node:dgram', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:dgram')>();
  return { ...actual, createSocket: vi.fn(actual.createSocket) };
});

/** A UDP socket on loopback that keeps every datagram it receives. */
interface Receiver {
  port: number;
  datagrams: string[];
  /** Resolves once `count` datagrams in all have arrived. */
  received(count: number): Promise<string[]>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const socket: Socket = createSocket('udp4');
  const datagrams: string[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (message) => {
    datagrams.push(message.toString('utf8'));
    for (const waiter of waiters.splice(0)) waiter();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const received = (count: number): Promise<string[]> =>
    new Promise((resolve) => {
      const check = (): void => (datagrams.length >= count ? resolve(datagrams) : void waiters.push(check));
      check();
    });
  return { port: socket.address().port, datagrams, received, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

/** A loopback UDP port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const receiver = await startReceiver();
  await receiver.close();
  return receiver.port;
}

function counterBatch(name = 'orders'): MetricBatch {
  return {
    resource: { attributes: {}, sdk: { name: 'isometer', version: '0' } },
    startTimeMs: 0,
    endTimeMs: 1,
    points: [{ type: 'counter', name, unit: '', attributes: {}, startTimeMs: 0, timeMs: 1, exemplars: [], sum: 1, count: 1 }],
  };
}

beforeEach(() => {
  debugLogger.resetWarnings();
  vi.mocked(lookup).mockClear();
  vi.mocked(dgram.createSocket).mockClear();
});
afterEach(async () => {
  await close();
  vi.restoreAllMocks();
});

describe('statsdExporter options', () => {
  it('reads STATSD_HOST and STATSD_PORT when host and port are not given', () => {
    expect(resolveStatsdOptions({}, { STATSD_HOST: 'statsd.internal', STATSD_PORT: '9125' })).toEqual({
      host: 'statsd.internal',
      port: 9125,
      prefix: '',
      globalTags: {},
      mode: 'dogstatsd',
      maxDatagramBytes: 1432,
      percentThresholds: [90],
      maxTimerValues: 100,
    });
    expect(resolveStatsdOptions({ host: '10.0.0.7', port: 8200 }, { STATSD_HOST: 'statsd.internal', STATSD_PORT: '9125' })).toMatchObject({ host: '10.0.0.7', port: 8200 });
  });

  it('replaces each bad option by its default with one warning naming it', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const bad = { host: '', port: 70000, prefix: 5, globalTags: { ok: 'yes', nested: { no: 1 } }, mode: 'graphite', maxDatagramBytes: 10, percentThreshold: [90, 100], maxTimerValues: 3 };
    const expected = { host: '127.0.0.1', port: 8125, prefix: '', globalTags: { ok: 'yes' }, mode: 'dogstatsd', maxDatagramBytes: 1432, percentThresholds: [90], maxTimerValues: 100 };
    expect(resolveStatsdOptions(bad, {})).toEqual(expected);
    expect(resolveStatsdOptions(bad, {})).toEqual(expected);
    const messages = warn.mock.calls.map((call) => String(call[1]));
    for (const option of ['host', 'port', 'prefix', 'globalTags', 'mode', 'maxDatagramBytes', 'percentThreshold', 'maxTimerValues']) {
      expect(messages.filter((message) => message.includes(`statsdExporter({ ${option} })`))).toHaveLength(1);
    }
  });

  it('reads STATSD_MODE (either case), lets the mode option win, and warns once about a bad value', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(resolveStatsdOptions({}, { STATSD_MODE: 'statsd' }).mode).toBe('statsd');
    expect(resolveStatsdOptions({}, { STATSD_MODE: ' DogStatsD ' }).mode).toBe('dogstatsd');
    expect(resolveStatsdOptions({ mode: 'dogstatsd' }, { STATSD_MODE: 'statsd' }).mode).toBe('dogstatsd');
    expect(resolveStatsdOptions({}, { STATSD_MODE: 'graphite' }).mode).toBe('dogstatsd');
    expect(resolveStatsdOptions({}, { STATSD_MODE: 'graphite' }).mode).toBe('dogstatsd');
    expect(warn.mock.calls.filter((call) => String(call[1]).includes('STATSD_MODE'))).toHaveLength(1);
  });

  it('warns about a STATSD_PORT that is not a port and uses 8125', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(resolveStatsdOptions(undefined, { STATSD_PORT: 'eighty' }).port).toBe(8125);
    expect(warn).toHaveBeenCalledWith('[isometer]', expect.stringContaining('STATSD_PORT'));
  });

  it('trims dots off the prefix and accepts options that are not an object without throwing', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(resolveStatsdOptions({ prefix: '.shop.' }, {}).prefix).toBe('shop');
    expect(statsdExporter('nonsense' as never).name).toBe('statsd');
  });
});

describe('statsdExporter on the wire (DogStatsD)', () => {
  let receiver: Receiver;
  beforeAll(async () => void (receiver = await startReceiver()));
  afterAll(() => receiver.close());
  beforeEach(() => void (receiver.datagrams.length = 0));

  it('is configured from STATSD_HOST, STATSD_PORT and STATSD_MODE alone (plain StatsD timers, no tags)', async () => {
    const exporters = environmentExporters({ STATSD_HOST: '127.0.0.1', STATSD_PORT: String(receiver.port), STATSD_MODE: 'statsd' });
    init({ exporters, flushIntervalMs: 0, globalAttributes: { env: 'test' } });
    metrics.distribution('latency', 12, { unit: 'millisecond' });
    metrics.count('orders', 2);
    expect(await flush()).toBe(true);
    const [datagram] = await receiver.received(1);
    expect(datagram.split('\n').sort()).toEqual(['latency:12|ms', 'orders:2|c']);
  });

  it('sends counters, gauges and distributions as these exact lines in one datagram', async () => {
    const memory = memoryExporter();
    init({ exporters: [statsdExporter({ port: receiver.port, prefix: 'app', globalTags: { env: 'test' } }), memory], flushIntervalMs: 0 });
    metrics.count('orders', 2, { attributes: { region: 'eu' } });
    metrics.count('orders', 3, { attributes: { region: 'eu' } });
    metrics.gauge('pool.size', 9, { attributes: { db: 'main' } });
    metrics.gauge('pool.size', 7, { attributes: { db: 'main' } });
    for (const value of [8, 8, 8, 8]) metrics.distribution('queue.wait', value);
    for (const value of [5, 5, 5, 5, 100]) metrics.distribution('latency', value, { unit: 'millisecond', attributes: { route: '/cart' } });
    expect(await flush()).toBe(true);
    const [datagram] = await receiver.received(1);
    // The three 5s that are neither the minimum nor the maximum go as one value, the log-space
    // midpoint of their bucket, weighted 3 by its rate.
    const latency = memory.find('latency')[0] as DistributionPoint;
    const midpoint = 2 ** ((latency.histogram.positive.offset + 0.5) * 2 ** -latency.histogram.scale);
    expect(datagram).toBe(
      [
        'app.orders:5|c|#env:test,region:eu',
        'app.pool.size:7|g|#db:main,env:test',
        'app.queue.wait:8|d|@0.25|#env:test',
        'app.latency:5:100|d|#env:test,route:/cart',
        `app.latency:${midpoint}|d|@0.3333333333333333|#env:test,route:/cart`,
      ].join('\n'),
    );
    expect(receiver.datagrams).toHaveLength(1);
  });

  it('splits a batch across datagrams, none over maxDatagramBytes, and loses no line', async () => {
    init({ exporters: [statsdExporter({ port: receiver.port, maxDatagramBytes: 512 })], flushIntervalMs: 0 });
    // Not a route attribute: ids in `route` would be templated into one series.
    for (let i = 0; i < 300; i++) metrics.count('requests', i + 1, { attributes: { item: `/items/${i}` } });
    expect(await flush()).toBe(true);
    const expectedLines = Array.from({ length: 300 }, (_, i) => `requests:${i + 1}|c|#item:/items/${i}`);
    const datagrams = await receiver.received(packDatagrams(expectedLines, 512).datagrams.length);
    expect(datagrams.length).toBeGreaterThan(1);
    for (const datagram of datagrams) expect(Buffer.byteLength(datagram)).toBeLessThanOrEqual(512);
    expect(datagrams.flatMap((datagram) => datagram.split('\n')).sort()).toEqual([...expectedLines].sort());
  });

  it('drops and counts a point whose line fits in no datagram, and still sends the rest', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    init({ exporters: [statsdExporter({ port: receiver.port, maxDatagramBytes: 64 })], flushIntervalMs: 0 });
    metrics.count('big', 1, { attributes: { note: 'x'.repeat(100) } });
    metrics.count('small', 1);
    expect(await flush()).toBe(true);
    expect(await receiver.received(1)).toEqual(['small:1|c']);
    expect(getDroppedCounts().export_error).toBe(1);
  });

  it('looks the host up once, and again after a send fails', async () => {
    const exporter = statsdExporter({ port: receiver.port });
    expect(await exporter.exportMetrics!(counterBatch('first'))).toEqual({ ok: true });
    expect(await exporter.exportMetrics!(counterBatch('second'))).toEqual({ ok: true });
    expect(await receiver.received(2)).toEqual(['first:1|c', 'second:1|c']);
    expect(lookup).toHaveBeenCalledTimes(1);
    await exporter.shutdown!();

    const refused = statsdExporter({ port: await closedPort() });
    expect(await refused.exportMetrics!(counterBatch())).toMatchObject({ ok: false });
    await refused.exportMetrics!(counterBatch());
    expect(lookup).toHaveBeenCalledTimes(3);
    await refused.shutdown!();
  });

  it('reconnects after a socket error reported between exports, and still sends the next batch', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const exporter = statsdExporter({ port: receiver.port });
    await exporter.exportMetrics!(counterBatch('before'));
    const first = vi.mocked(dgram.createSocket).mock.results[0].value as Socket;
    first.emit('error', Object.assign(new Error('send EHOSTUNREACH'), { code: 'EHOSTUNREACH' }));
    expect(await exporter.exportMetrics!(counterBatch('after'))).toEqual({ ok: true });
    expect(await receiver.received(2)).toEqual(['before:1|c', 'after:1|c']);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith('[isometer]', expect.stringContaining('EHOSTUNREACH; reconnecting'));
    await exporter.shutdown!();
  });

  it('closes its socket on shutdown and opens a new one when used again', async () => {
    const exporter = statsdExporter({ port: receiver.port });
    await exporter.exportMetrics!(counterBatch('before'));
    const first = vi.mocked(dgram.createSocket).mock.results[0].value as Socket;
    const closed = new Promise((resolve) => first.once('close', resolve));
    await exporter.shutdown!();
    await closed;
    expect(await exporter.exportMetrics!(counterBatch('after'))).toEqual({ ok: true });
    expect(await receiver.received(2)).toEqual(['before:1|c', 'after:1|c']);
    expect(dgram.createSocket).toHaveBeenCalledTimes(2);
    await exporter.shutdown!();
  });
});

describe('statsdExporter when the daemon cannot be reached', () => {
  it('resolves not ok and retryable when the host does not resolve, and flush counts the loss', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const exporter = statsdExporter({ host: 'no-such-host.invalid' });
    const outcome = await exporter.exportMetrics!(counterBatch());
    expect(outcome).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('ENOTFOUND') });

    init({ exporters: [exporter], flushIntervalMs: 0 });
    metrics.count('orders', 1);
    metrics.gauge('pool.size', 3);
    expect(await flush()).toBe(false);
    expect(getDroppedCounts().export_error).toBe(2);
  });

  it('resolves not ok when nothing listens on the port', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const exporter = statsdExporter({ port: await closedPort() });
    const outcome = await exporter.exportMetrics!(counterBatch());
    expect(outcome).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('ECONNREFUSED') });

    init({ exporters: [exporter], flushIntervalMs: 0 });
    metrics.count('orders', 1);
    expect(await flush()).toBe(false);
    expect(getDroppedCounts().export_error).toBe(1);
  });
});

describe('statsdExporter against a real statsd daemon', () => {
  let daemon: StatsdDaemon;
  beforeAll(async () => void (daemon = await startStatsdDaemon()));
  afterAll(() => daemon?.stop());
  beforeEach(() => daemon.reset());

  /** Waits until the daemon has taken in every datagram the exporter sent for `points`. */
  async function delivered(points: MetricPoint[], options: StatsdFormatOptions) {
    const datagrams = packDatagrams(formatStatsdLines(points, options).lines, options.maxLineBytes).datagrams.length;
    return daemon.waitForTotals((totals) => (totals.counters['statsd.packets_received'] ?? 0) >= datagrams);
  }

  it('flushes the totals that were recorded, sampled timer counts included (plain StatsD)', async () => {
    const memory = memoryExporter();
    init({ exporters: [statsdExporter({ port: daemon.port, mode: 'statsd', prefix: 'e2e' }), memory], flushIntervalMs: 0 });
    metrics.count('orders', 3, { attributes: { region: 'eu' } });
    metrics.count('orders', 4, { attributes: { region: 'us' } });
    metrics.count('orders', 5, { attributes: { region: 'eu' } });
    const bytes = metrics.counter('bytes');
    for (let i = 0; i < 100; i++) bytes.add(1024);
    metrics.gauge('queue', 5);
    metrics.gauge('queue', 12);
    // Two series that share a key once attributes are dropped: the later line wins, and the
    // negative value is set (through 0), not subtracted from 20.
    metrics.gauge('temperature', 20, { attributes: { room: 'a' } });
    metrics.gauge('temperature', -7.5, { attributes: { room: 'b' } });
    const recorded = logNormalSample(2000);
    for (const value of recorded) metrics.distribution('latency', value, { unit: 'millisecond' });
    expect(await flush()).toBe(true);

    const totals = await delivered(memory.points(), { mode: 'statsd', prefix: 'e2e', globalTags: {}, maxLineBytes: 1432 });
    expect(totals.counters['statsd.bad_lines_seen'] ?? 0).toBe(0);
    expect(totals.counters['e2e.orders']).toBe(12); // attributes are dropped in plain mode, so the series add up
    expect(totals.counters['e2e.bytes']).toBe(102_400);
    expect(totals.gauges['e2e.queue']).toBe(12);
    expect(totals.gauges['e2e.temperature']).toBe(-7.5);
    // Integer weights whose rates round-trip: the daemon's Σ 1/rate is exactly the count.
    expect(totals.timerCounts['e2e.latency']).toBe(2000);
    // At most 100 evenly spaced values went over the wire, not 2000 (statsd-timer-values.test.ts checks the daemon's figures).
    expect(totals.timerValues['e2e.latency']).toHaveLength(100);
  });

  it('keeps DogStatsD tags on counters and gauges in a tag-aware daemon (statsd ≥ 0.9 keys them name;k=v)', async () => {
    const memory = memoryExporter();
    init({ exporters: [statsdExporter({ port: daemon.port, prefix: 'e2e', globalTags: { env: 'test' } }), memory], flushIntervalMs: 0 });
    metrics.count('orders', 2, { attributes: { region: 'eu' } });
    metrics.count('orders', 3, { attributes: { region: 'us' } });
    metrics.gauge('pool.size', 7, { attributes: { db: 'main' } });
    expect(await flush()).toBe(true);

    const totals = await delivered(memory.points(), { mode: 'dogstatsd', prefix: 'e2e', globalTags: { env: 'test' }, maxLineBytes: 1432 });
    expect(totals.counters['e2e.orders;env=test;region=eu']).toBe(2);
    expect(totals.counters['e2e.orders;env=test;region=us']).toBe(3);
    expect(totals.gauges['e2e.pool.size;db=main;env=test']).toBe(7);
  });
});

/** Latency-like values (a log-normal spread over about three decades), the same on every run. */
function logNormalSample(count: number): number[] {
  let seed = 12345;
  const uniform = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed + 1) / (2 ** 31 + 1);
  };
  return Array.from({ length: count }, () => {
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.round(Math.exp(3.5 + 1.2 * normal) * 1000) / 1000;
  });
}
