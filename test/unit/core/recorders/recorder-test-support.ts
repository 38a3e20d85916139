import { afterEach, beforeEach, vi, type MockInstance } from 'vitest';
import { close, flush, init, memoryExporter, type MemoryExporter, type IsometerOptions } from '../../../../src/core/index';
import { debugLogger } from '../../../../src/core/internal/debug-logger';

/** A clock the test moves by hand: `performance.now()` (durations) and `Date.now()` (timestamps) advance together. */
export interface FakeClock {
  advance(ms: number): void;
  /** Epoch milliseconds now. */
  wallMs(): number;
  /** Puts the real clocks back (before talking to a real server, say). */
  restore(): void;
}

export const FAKE_EPOCH_MS = Date.UTC(2025, 0, 1);

export function installFakeClock(): FakeClock {
  let elapsed = 0;
  const performanceNow = vi.spyOn(performance, 'now').mockImplementation(() => 5_000 + elapsed);
  const dateNow = vi.spyOn(Date, 'now').mockImplementation(() => FAKE_EPOCH_MS + elapsed);
  return {
    restore() {
      performanceNow.mockRestore();
      dateNow.mockRestore();
    },
    advance(ms) {
      elapsed += ms;
    },
    wallMs: () => FAKE_EPOCH_MS + elapsed,
  };
}

export interface RecorderClient {
  /** The memory exporter of the client the current test runs with. */
  memory(): MemoryExporter;
  /** Warnings isometer printed in the current test, without the `[isometer]` prefix. */
  warnings(): string[];
  flush(): Promise<boolean>;
}

/**
 * Each test gets a fresh client (memory exporter, no flush timer, every trace sampled), a clean
 * set of one-time warnings and a silenced console; everything is closed and restored afterwards.
 */
export function useRecorderClient(options: IsometerOptions = {}): RecorderClient {
  let memory: MemoryExporter;
  let warn: MockInstance;
  beforeEach(() => {
    debugLogger.resetWarnings();
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    memory = memoryExporter();
    init({ flushIntervalMs: 0, tracesSampleRate: 1, ...options, exporters: [memory, ...(options.exporters ?? [])] });
  });
  afterEach(async () => {
    await close();
    vi.restoreAllMocks();
  });
  return {
    memory: () => memory,
    warnings: () => warn.mock.calls.map((args) => args.slice(1).join(' ')),
    flush: () => flush(),
  };
}
