import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { DropCounter } from '../../../../src/core/internal/drop-counter';
import type { ExportOutcome } from '../../../../src/core/export/exporter';
import { runExport } from '../../../../src/core/export/run-export';

type Call = () => void | ExportOutcome | Promise<void | ExportOutcome>;

let drops: DropCounter;

beforeEach(() => {
  drops = new DropCounter();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.useRealTimers();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

function warnings(): string[] {
  return vi.mocked(console.warn).mock.calls.map((args) => args.join(' '));
}

describe('runExport', () => {
  it.each<[string, Call]>([
    ['returns nothing', () => undefined],
    ['returns { ok: true }', () => ({ ok: true })],
    ['resolves to nothing', async () => undefined],
    ['resolves to { ok: true }', async () => ({ ok: true })],
  ])('resolves true when the exporter %s, and counts nothing', async (_label, call) => {
    expect(await runExport('test', call, 1000, drops, 5)).toBe(true);
    expect(drops.snapshot()).toEqual({});
    expect(warnings()).toEqual([]);
  });

  it.each<[string, Call, string]>([
    ['returns { ok: false }', () => ({ ok: false, retryable: false, reason: 'HTTP 400' }), 'HTTP 400'],
    ['resolves to { ok: false } without a reason', async () => ({ ok: false, retryable: true }), 'the backend refused it'],
    [
      'throws',
      () => {
        throw new Error('socket closed');
      },
      'socket closed',
    ],
    ['rejects', () => Promise.reject(new Error('ECONNREFUSED')), 'ECONNREFUSED'],
    ['rejects with a non-error', () => Promise.reject('plain string'), 'plain string'],
  ])('resolves false when the exporter %s, and counts its items as export_error', async (_label, call, detail) => {
    expect(await runExport('otlp', call, 1000, drops, 7)).toBe(false);
    expect(drops.snapshot()).toEqual({ export_error: 7 });
    expect(warnings()).toEqual([expect.stringContaining(`exporter "otlp" failed: ${detail}; 7 item(s) were dropped.`)]);
  });

  it('resolves false for an outcome whose getters throw, and counts it as export_error', async () => {
    const outcome = {
      get ok(): boolean {
        throw new Error('hostile outcome');
      },
    } as unknown as ExportOutcome;
    expect(await runExport('odd', () => outcome, 1000, drops, 2)).toBe(false);
    expect(drops.snapshot()).toEqual({ export_error: 2 });
  });

  it('resolves false when the exporter does not finish in time, and counts its items as export_timeout', async () => {
    vi.useFakeTimers();
    let settled = false;
    const result = runExport('slow', () => new Promise<void>(() => undefined), 250, drops, 3).then((ok) => {
      settled = true;
      return ok;
    });
    await vi.advanceTimersByTimeAsync(249);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBe(false);
    expect(drops.snapshot()).toEqual({ export_timeout: 3 });
    expect(warnings()).toEqual([expect.stringContaining('exporter "slow" did not finish within 250 ms; 3 item(s) were dropped.')]);
  });

  it('ignores an answer that arrives after the timeout', async () => {
    vi.useFakeTimers();
    let finish!: () => void;
    const result = runExport('late', () => new Promise<void>((resolve) => (finish = resolve)), 100, drops, 1);
    await vi.advanceTimersByTimeAsync(100);
    finish();
    expect(await result).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(drops.snapshot()).toEqual({ export_timeout: 1 });
  });

  it('counts a timed-out call once: what the call counts after its items were counted for it is ignored', async () => {
    vi.useFakeTimers();
    let hung!: DropCounter;
    const result = runExport('hung', (callDrops) => new Promise<void>(() => void (hung = callDrops)), 100, drops, 4);
    await vi.advanceTimersByTimeAsync(100);
    expect(await result).toBe(false);
    // Its request ends later (a reset connection after a 429): already counted as export_timeout.
    hung.record('rate_limited', 4);
    expect(drops.snapshot()).toEqual({ export_timeout: 4 });
  });

  it('takes what a failing call counted itself off the items it is counted for', async () => {
    const call = async (callDrops: DropCounter): Promise<ExportOutcome> => {
      callDrops.record('rate_limited', 2);
      return { ok: false, retryable: false, reason: 'HTTP 500 for the rest' };
    };
    expect(await runExport('partial', call, 1000, drops, 5)).toBe(false);
    expect(drops.snapshot()).toEqual({ rate_limited: 2, export_error: 3 });
  });

  it('counts what a call that succeeded loses later (a request that fails after the call returned)', async () => {
    let kept!: DropCounter;
    expect(await runExport('queued', (callDrops) => void (kept = callDrops), 1000, drops, 5)).toBe(true);
    kept.record('network_error', 5);
    expect(drops.snapshot()).toEqual({ network_error: 5 });
  });

  it('cancels its timer once the exporter answered', async () => {
    vi.useFakeTimers();
    expect(await runExport('quick', async () => undefined, 100, drops, 1)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(drops.snapshot()).toEqual({});
  });

  it('warns once per exporter and reason, however often it fails', async () => {
    for (let i = 0; i < 100; i++) await runExport('flaky', () => Promise.reject(new Error(`attempt ${i}`)), 1000, drops, 1);
    expect(drops.snapshot()).toEqual({ export_error: 100 });
    expect(warnings()).toHaveLength(1);
  });
});
