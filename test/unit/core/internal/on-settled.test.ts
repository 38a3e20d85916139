import { afterEach, describe, expect, it, vi } from 'vitest';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { isThenable, onSettled } from '../../../../src/core/internal/on-settled';

afterEach(() => {
  vi.restoreAllMocks();
  debugLogger.resetWarnings();
});

describe('onSettled', () => {
  it('finishes once on return and passes the value through', () => {
    const finish = vi.fn();
    expect(onSettled('test', () => 7, finish)).toBe(7);
    expect(finish.mock.calls).toEqual([[false, 7]]);
  });

  it('finishes once on throw and rethrows the same value', () => {
    const finish = vi.fn();
    const thrown = { code: 'E_BUSY' };
    let caught: unknown;
    try {
      onSettled(
        'test',
        () => {
          throw thrown;
        },
        finish,
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(thrown);
    expect(finish.mock.calls).toEqual([[true, thrown]]);
  });

  it('waits for a promise: finishes on resolve, after the call returned', async () => {
    const finish = vi.fn();
    let resolve!: (value: string) => void;
    const result = onSettled('test', () => new Promise<string>((r) => (resolve = r)), finish);
    expect(finish).not.toHaveBeenCalled();
    resolve('done');
    await expect(result).resolves.toBe('done');
    expect(finish.mock.calls).toEqual([[false, 'done']]);
  });

  it('finishes on reject and rejects with the same reason', async () => {
    const finish = vi.fn();
    const reason = new TypeError('nope');
    await expect(onSettled('test', () => Promise.reject(reason), finish)).rejects.toBe(reason);
    expect(finish.mock.calls).toEqual([[true, reason]]);
  });

  it('treats any thenable as a promise', async () => {
    const finish = vi.fn();
    const thenable = { then: (ok: (value: number) => void) => ok(3) };
    expect(await onSettled('test', () => thenable, finish)).toBe(3);
    expect(finish.mock.calls).toEqual([[false, 3]]);
  });

  it('logs a throwing finish once and keeps the result of run', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const broken = (): void => {
      throw new Error('bookkeeping broke');
    };
    expect(onSettled('sync-case', () => 'kept', broken)).toBe('kept');
    await expect(onSettled('async-case', () => Promise.resolve('kept too'), broken)).resolves.toBe('kept too');
    expect(warn.mock.calls.map((args) => args.slice(1).join(' '))).toEqual([
      'sync-case failed internally and was skipped: bookkeeping broke',
      'async-case failed internally and was skipped: bookkeeping broke',
    ]);
  });
});

describe('isThenable', () => {
  it('accepts promises and objects or functions with then, nothing else', () => {
    const callable = Object.assign(() => undefined, { then: () => undefined });
    expect([Promise.resolve(), { then: () => undefined }, callable].every(isThenable)).toBe(true);
    expect([null, undefined, 0, 'then', { then: 1 }].some(isThenable)).toBe(false);
  });
});
