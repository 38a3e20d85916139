import { describe, it, expect, vi } from 'vitest';
import { close, getDroppedCounts, startInactiveSpan, startSpan, type DistributionPoint } from '../../../../src/core/index';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { processorMetrics } from '../../../../src/core/index';
import { FAKE_EPOCH_MS, installFakeClock, useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('processorMetrics', () => {
  it('makes a ttfb span and a processor.ttfb distribution from one start/stop pair and returns the milliseconds', async () => {
    const clock = installFakeClock();
    const stt = processorMetrics('deepgram-stt');
    clock.advance(10);
    stt.startTtfb();
    clock.advance(120);
    expect(stt.stopTtfb()).toBe(120);
    await client.flush();
    const [span] = client.memory().spans;
    expect(span).toMatchObject({ name: 'deepgram-stt', op: 'ttfb', startTimeMs: FAKE_EPOCH_MS + 10, endTimeMs: FAKE_EPOCH_MS + 130, attributes: { processor: 'deepgram-stt' } });
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    const [ttfb] = client.memory().find('processor.ttfb') as DistributionPoint[];
    expect(ttfb).toMatchObject({ unit: 'millisecond', attributes: { processor: 'deepgram-stt' }, count: 1, sum: 120 });
    expect(ttfb.exemplars[0].spanId).toBe(span.spanId);
  });

  it('makes a processing span and a processor.processing distribution, independent of a running ttfb', async () => {
    const clock = installFakeClock();
    const llm = processorMetrics('openai-llm', { attributes: { model: 'gpt-4o' } });
    llm.startProcessing();
    llm.startTtfb();
    clock.advance(200);
    expect(llm.stopTtfb()).toBe(200);
    clock.advance(800);
    expect(llm.stopProcessing()).toBe(1000);
    await client.flush();
    expect(client.memory().spans.map((span) => [span.op, span.endTimeMs - span.startTimeMs])).toEqual([
      ['ttfb', 200],
      ['processing', 1000],
    ]);
    expect(client.memory().find('processor.processing')[0]).toMatchObject({ attributes: { model: 'gpt-4o', processor: 'openai-llm' }, sum: 1000 });
    expect(client.memory().spans[1].attributes).toEqual({ model: 'gpt-4o', processor: 'openai-llm' });
  });

  it('gives every measurement its own span id, as a child of the span active at start', async () => {
    const tts = processorMetrics('cartesia-tts');
    const turn = startSpan({ name: 'turn 1', op: 'turn' }, (span) => {
      tts.startTtfb();
      tts.stopTtfb();
      tts.startTtfb();
      return span;
    });
    // Stopped outside the turn: still the turn's child, because the parent is taken at start.
    tts.stopTtfb();
    await client.flush();
    const ttfbSpans = client.memory().spans.filter((span) => span.op === 'ttfb');
    expect(ttfbSpans).toHaveLength(2);
    expect(new Set(ttfbSpans.map((span) => span.spanId)).size).toBe(2);
    for (const span of ttfbSpans) expect(span).toMatchObject({ traceId: turn.traceId, parentSpanId: turn.spanId });
  });

  it('takes an explicit parentSpan', async () => {
    const service = startInactiveSpan({ name: 'speech-to-text', op: 'stt' });
    const stt = processorMetrics('stt');
    stt.startTtfb({ parentSpan: service });
    stt.stopTtfb();
    service.end();
    await client.flush();
    expect(client.memory().spans.find((span) => span.op === 'ttfb')).toMatchObject({ traceId: service.traceId, parentSpanId: service.spanId });
  });

  it('returns undefined, records nothing and warns once when stopped without a start', async () => {
    const llm = processorMetrics('llm');
    expect(llm.stopTtfb()).toBeUndefined();
    expect(llm.stopTtfb()).toBeUndefined();
    expect(llm.stopProcessing()).toBeUndefined();
    await client.flush();
    expect(client.memory().points()).toEqual([]);
    expect(client.memory().spans).toEqual([]);
    expect(client.warnings().filter((line) => line.includes('stopTtfb() was called with no measurement running'))).toHaveLength(1);
    expect(client.warnings().filter((line) => line.includes('stopProcessing() was called with no measurement running'))).toHaveLength(1);
  });

  it('restarts on a second start before the stop: only the later start is measured', async () => {
    const clock = installFakeClock();
    const llm = processorMetrics('llm');
    llm.startTtfb();
    clock.advance(500);
    llm.startTtfb();
    clock.advance(70);
    expect(llm.stopTtfb()).toBe(70);
    expect(llm.stopTtfb()).toBeUndefined();
    await client.flush();
    expect(client.memory().spans).toHaveLength(1);
    expect(client.memory().spans[0].startTimeMs).toBe(FAKE_EPOCH_MS + 500);
    expect(client.memory().find('processor.ttfb')[0]).toMatchObject({ count: 1, sum: 70 });
  });

  it('lets overlapping measurements of one processor stop independently through their handles', async () => {
    const clock = installFakeClock();
    const tts = processorMetrics('tts');
    const first = tts.startProcessing();
    clock.advance(100);
    const second = tts.startProcessing();
    clock.advance(50);
    expect(first.stop()).toBe(150);
    expect(first.stop()).toBe(150);
    clock.advance(25);
    expect(tts.stopProcessing()).toBe(75);
    expect(second.stop()).toBe(75);
    await client.flush();
    const point = client.memory().find('processor.processing')[0] as DistributionPoint;
    expect([point.count, point.sum, point.min, point.max]).toEqual([2, 225, 75, 150]);
    expect(client.memory().spans).toHaveLength(2);
  });

  it('keeps two processors in two concurrent turns apart', async () => {
    const clock = installFakeClock();
    const stt = processorMetrics('stt');
    const llm = processorMetrics('llm');
    const turnA = startInactiveSpan({ name: 'turn A', op: 'turn' });
    const turnB = startInactiveSpan({ name: 'turn B', op: 'turn' });
    stt.startTtfb({ parentSpan: turnA });
    clock.advance(10);
    llm.startTtfb({ parentSpan: turnB });
    clock.advance(10);
    expect(stt.stopTtfb()).toBe(20);
    clock.advance(30);
    expect(llm.stopTtfb()).toBe(40);
    turnA.end();
    turnB.end();
    await client.flush();
    const byProcessor = Object.fromEntries(
      client
        .memory()
        .spans.filter((span) => span.op === 'ttfb')
        .map((span) => [span.name, span.parentSpanId]),
    );
    expect(byProcessor).toEqual({ stt: turnA.spanId, llm: turnB.spanId });
    expect(client.memory().find('processor.ttfb', { attributes: { processor: 'stt' } })[0]).toMatchObject({ sum: 20 });
    expect(client.memory().find('processor.ttfb', { attributes: { processor: 'llm' } })[0]).toMatchObject({ sum: 40 });
  });

  it('with reportOnlyFirstTtfb reports one TTFB per turn, silently ignores the rest, and reports again after newTurn()', async () => {
    const clock = installFakeClock();
    const llm = processorMetrics('llm', { reportOnlyFirstTtfb: true });
    llm.newTurn();
    llm.startTtfb();
    clock.advance(300);
    expect(llm.stopTtfb()).toBe(300);
    llm.startTtfb();
    clock.advance(20);
    expect(llm.stopTtfb()).toBeUndefined();
    llm.newTurn();
    llm.startTtfb();
    clock.advance(250);
    expect(llm.stopTtfb()).toBe(250);
    await client.flush();
    const point = client.memory().find('processor.ttfb')[0] as DistributionPoint;
    expect([point.count, point.sum]).toEqual([2, 550]);
    expect(client.warnings()).toEqual([]);
  });

  it('uses the prefix option in the metric names', async () => {
    const stt = processorMetrics('stt', { prefix: 'voice.' });
    stt.startTtfb();
    stt.stopTtfb();
    await client.flush();
    expect(client.memory().find('voice.processor.ttfb')).toHaveLength(1);
  });
});

describe('processorMetrics without init', () => {
  it('still measures and returns the timings, throws nothing and warns once', async () => {
    await close();
    debugLogger.resetWarnings();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const clock = installFakeClock();
    const stt = processorMetrics('stt', { reportOnlyFirstTtfb: true });
    stt.startTtfb();
    stt.startProcessing();
    clock.advance(42);
    expect(stt.stopTtfb()).toBe(42);
    clock.advance(8);
    expect(stt.stopProcessing()).toBe(50);
    expect(getDroppedCounts().not_initialized).toBeGreaterThanOrEqual(2);
    expect(warn.mock.calls.filter((args) => String(args[1]).includes('before init()'))).toHaveLength(1);
  });
});
