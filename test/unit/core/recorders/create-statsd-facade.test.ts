import { describe, it, expect } from 'vitest';
import { flush, getDroppedCounts, init, close, type CounterPoint, type DistributionPoint, type GaugePoint } from '../../../../src/core/index';
import { createStatsdFacade } from '../../../../src/core/index';
import { installFakeClock, useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('createStatsdFacade', () => {
  it('maps timing to a millisecond distribution with the key prefix, facade tags, call tags and instance', async () => {
    const statsd = createStatsdFacade({ prefix: 'jobs.', tags: { region: 'eu', queue: 'default' } });
    statsd.timing('latency', 42, { instance: 'worker-1', tags: { queue: 'email' } });
    statsd.timing('latency', 8, { instance: 'worker-1', tags: { queue: 'email' } });
    await client.flush();
    const [point] = client.memory().find('jobs.latency') as DistributionPoint[];
    expect(point).toMatchObject({ type: 'distribution', unit: 'millisecond', attributes: { instance: 'worker-1', queue: 'email', region: 'eu' }, count: 2, sum: 50 });
  });

  it('maps incr to a counter with amount (default 1) and gauge to a gauge', async () => {
    const statsd = createStatsdFacade();
    statsd.incr('processed');
    statsd.incr('processed', { amount: 5, tags: { kind: 'bulk' } });
    statsd.gauge('queue.depth', 7, { tags: { queue: 'email' } });
    statsd.gauge('queue.depth', 3, { tags: { queue: 'email' } });
    await client.flush();
    expect(client.memory().total('processed')).toBe(6);
    expect((client.memory().find('processed', { attributes: { kind: 'bulk' } })[0] as CounterPoint).sum).toBe(5);
    expect(client.memory().find('queue.depth')[0] as GaugePoint).toMatchObject({ type: 'gauge', attributes: { queue: 'email' }, last: 3, max: 7 });
  });

  it('records every call whatever its sampleRate above 0, so totals stay exact; a rate of 0 records nothing', async () => {
    const statsd = createStatsdFacade();
    for (let i = 0; i < 100; i++) statsd.incr('events', { sampleRate: 0.1 });
    for (let i = 0; i < 10; i++) statsd.timing('step', 1, { sampleRate: 0.5 });
    statsd.incr('disabled', { sampleRate: 0 });
    await client.flush();
    expect(client.memory().total('events')).toBe(100);
    expect(client.memory().total('step')).toBe(10);
    expect(client.memory().find('disabled')).toEqual([]);
  });

  it('warns once about a sampleRate outside 0…1 and records the call in full', async () => {
    const statsd = createStatsdFacade();
    statsd.incr('events', { sampleRate: 2 });
    statsd.incr('events', { sampleRate: Number.NaN });
    await client.flush();
    expect(client.memory().total('events')).toBe(2);
    expect(client.warnings().filter((line) => line.includes('sampleRate must be a number from 0 to 1'))).toHaveLength(1);
  });

  it('applies pushed tags to later calls until they are popped', async () => {
    const statsd = createStatsdFacade({ tags: { app: 'api' } });
    statsd.pushTags({ tenant: 'acme' });
    statsd.pushTags({ tenant: 'globex', phase: 'import' });
    statsd.incr('rows');
    statsd.popTags();
    statsd.incr('rows');
    statsd.popTags();
    statsd.incr('rows');
    statsd.popTags();
    await client.flush();
    const sets = (client.memory().find('rows') as CounterPoint[]).map((point) => point.attributes);
    expect(sets).toEqual(expect.arrayContaining([{ app: 'api', phase: 'import', tenant: 'globex' }, { app: 'api', tenant: 'acme' }, { app: 'api' }]));
    expect(sets).toHaveLength(3);
    expect(client.warnings()).toContain('statsd.popTags(): there were no pushed tags to pop; nothing changed.');
  });

  it('applies withTags tags to every metric recorded inside the block, and returns its result', async () => {
    const statsd = createStatsdFacade();
    const result = statsd.withTags({ tenant: 'acme' }, () => {
      statsd.incr('rows');
      return 'done';
    });
    statsd.incr('rows');
    expect(result).toBe('done');
    await client.flush();
    expect(client.memory().total('rows', { tenant: 'acme' })).toBe(1);
    expect(client.memory().total('rows')).toBe(2);
  });

  it('timer() measures until stop(), once, with tags added while it ran', async () => {
    const clock = installFakeClock();
    const statsd = createStatsdFacade({ prefix: 'jobs' });
    const timer = statsd.timer('run', { instance: 'a', tags: { queue: 'email' } });
    clock.advance(30);
    timer.tags.outcome = 'sent';
    expect(timer.stop()).toBe(30);
    clock.advance(30);
    expect(timer.stop()).toBe(30);
    await client.flush();
    const [point] = client.memory().find('jobs.run') as DistributionPoint[];
    expect(point).toMatchObject({ attributes: { instance: 'a', outcome: 'sent', queue: 'email' }, count: 1, sum: 30 });
  });

  it('time() tags result success or failure and passes results and errors through unchanged', async () => {
    const clock = installFakeClock();
    const statsd = createStatsdFacade();
    expect(statsd.time('step', () => 1)).toBe(1);
    const value = await statsd.time('step', async () => {
      await Promise.resolve();
      clock.advance(12);
      return 'ok';
    });
    expect(value).toBe('ok');
    const error = new Error('boom');
    expect(() =>
      statsd.time('step', () => {
        throw error;
      }),
    ).toThrow(error);
    await expect(statsd.time('step', () => Promise.reject(error))).rejects.toBe(error);
    await client.flush();
    expect(client.memory().total('step', { result: 'success' })).toBe(2);
    expect(client.memory().total('step', { result: 'failure' })).toBe(2);
    expect((client.memory().find('step', { attributes: { result: 'success' } })[0] as DistributionPoint).max).toBe(12);
  });

  it('never throws on bad input: it warns, drops, and counts what it dropped', async () => {
    const statsd = createStatsdFacade({ tags: ['not', 'an', 'object'] as never });
    expect(() => {
      statsd.incr(undefined as never);
      statsd.incr(42 as never);
      statsd.timing('latency', Number.NaN);
      statsd.gauge('depth', 'deep' as never);
      statsd.incr('negative', { amount: -1 });
      statsd.incr('tags', { tags: 'x' as never });
      statsd.timer('t', null as never).stop();
      statsd.time('t', 'not a function' as never);
      statsd.withTags(null as never, () => undefined);
    }).not.toThrow();
    await client.flush();
    expect(client.memory().total('tags')).toBe(1);
    expect(client.memory().find('latency')).toEqual([]);
    expect(client.memory().find('negative')).toEqual([]);
    expect(getDroppedCounts().invalid_value).toBe(3);
    const warnings = client.warnings();
    expect(warnings.filter((line) => line.startsWith('statsd.incr(key, …)'))).toHaveLength(1);
    expect(warnings.some((line) => line.startsWith('createStatsdFacade: tags must be an object'))).toBe(true);
  });

  it('survives a backend that fails: the error is logged once and flush resolves false', async () => {
    await close();
    init({
      flushIntervalMs: 0,
      exporters: [
        {
          name: 'broken',
          exportMetrics: () => {
            throw new Error('socket closed');
          },
        },
      ],
    });
    const statsd = createStatsdFacade();
    statsd.incr('events');
    await expect(flush()).resolves.toBe(false);
    statsd.incr('events');
    await expect(flush()).resolves.toBe(false);
    expect(getDroppedCounts().export_error).toBe(2);
    expect(client.warnings().filter((line) => line.includes('exporter "broken" failed: socket closed'))).toHaveLength(1);
  });
});
