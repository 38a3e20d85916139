import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { close, init, memoryExporter, startInactiveSpan, type MemoryExporter } from '../../../../src/core/index';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { MAX_ATTRIBUTES } from '../../../../src/core/internal/attributes';

let memory: MemoryExporter;
let warn: ReturnType<typeof vi.spyOn>;

function start(tracesSampleRate: number): void {
  memory = memoryExporter();
  init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate });
}

beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  await close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

describe('an unsampled span', () => {
  it('is non-recording: ids, decision and start time, and no attributes kept or even read', async () => {
    start(0);
    let reads = 0;
    const attributes = {
      get route() {
        reads++;
        return '/cart';
      },
    };
    const span = startInactiveSpan({ name: 'GET /cart', op: 'http.server', attributes });
    span.setAttribute('http.response.status_code', 200).setAttributes({ a: 1 });
    expect(reads).toBe(0);
    expect(span.isRecording()).toBe(false);
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.sampled).toBe(false);
    expect(span.startTimeMs).toBeGreaterThan(0);
    expect(span.getAttributes()).toEqual({});
    expect(span.getAttribute('http.response.status_code')).toBeUndefined();
    span.end();
    await close();
    expect(memory.spans).toEqual([]);
  });

  it('still reads its attributes when a tracesSampler needs them', () => {
    memory = memoryExporter();
    const seen: unknown[] = [];
    init({
      exporters: [memory],
      flushIntervalMs: 0,
      tracesSampler: (context) => {
        seen.push(context.attributes);
        return 0;
      },
    });
    const span = startInactiveSpan({ name: 'job', attributes: { queue: 'mail' } });
    expect(seen).toEqual([{ queue: 'mail' }]);
    expect(span.isRecording()).toBe(false);
  });
});

describe('span.setAttribute', () => {
  it('checks only the value it sets: the span keeps its other attributes as they were', async () => {
    start(1);
    const span = startInactiveSpan({ name: 'work', attributes: { kept: 'yes', long: 'x'.repeat(600) } });
    span.setAttribute('count', 3);
    span.setAttribute('bad', { nested: true });
    span.setAttribute('nan', Number.NaN);
    span.setAttribute('', 'empty key');
    span.setAttribute('skipped', undefined);
    span.setAttribute('cut', 'y'.repeat(600));
    expect(span.getAttributes()).toEqual({ kept: 'yes', long: 'x'.repeat(512), count: 3, cut: 'y'.repeat(512) });
    expect(warn).toHaveBeenCalled();
  });

  it(`keeps at most ${MAX_ATTRIBUTES} keys, while an existing key can still change`, () => {
    start(1);
    const span = startInactiveSpan({ name: 'wide' });
    for (let i = 0; i < MAX_ATTRIBUTES + 5; i++) span.setAttribute(`key${i}`, i);
    span.setAttribute('key0', 'changed');
    const kept = span.getAttributes();
    expect(Object.keys(kept)).toHaveLength(MAX_ATTRIBUTES);
    expect(kept.key0).toBe('changed');
    expect(kept[`key${MAX_ATTRIBUTES}`]).toBeUndefined();
  });

  it('changes nothing once the span ended, and the exported span is what it held at the end', async () => {
    start(1);
    const span = startInactiveSpan({ name: 'done', attributes: { a: 1 } });
    span.end();
    span.setAttribute('late', true);
    span.setAttributes({ later: true });
    await close();
    expect(memory.spans[0].attributes).toEqual({ a: 1 });
  });

  it('never throws on hostile input', () => {
    start(1);
    const span = startInactiveSpan({ name: 'hostile' });
    const throwing = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    expect(() => span.setAttributes(throwing)).not.toThrow();
    expect(() => span.setAttributes(null as unknown as Record<string, unknown>)).not.toThrow();
    expect(() => span.setAttribute(42 as unknown as string, 'x')).not.toThrow();
    expect(span.getAttributes()).toEqual({});
  });
});
