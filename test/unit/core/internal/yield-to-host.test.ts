import { afterEach, describe, expect, it, vi } from 'vitest';
import { SLICE_MS, TimeSlice, yieldToHost } from '../../../../src/core/internal/yield-to-host';

afterEach(() => {
  delete (globalThis as { document?: unknown }).document;
  vi.restoreAllMocks();
});

describe('yieldToHost', () => {
  it('lets the host run what it had queued before resuming', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('host'));
    await yieldToHost();
    order.push('resumed');
    expect(order).toEqual(['host', 'resumed']);
  });

  it('does not yield from a hidden page, which may never run another task', async () => {
    (globalThis as { document?: unknown }).document = { visibilityState: 'hidden' };
    const order: string[] = [];
    setImmediate(() => order.push('host'));
    await yieldToHost();
    order.push('resumed');
    expect(order).toEqual(['resumed']);
  });
});

describe('TimeSlice', () => {
  it(`is spent once ${SLICE_MS} ms have passed, reading the clock only every 32 calls`, () => {
    let clock = 0;
    const read = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const slice = new TimeSlice();
    const reads = read.mock.calls.length;
    for (let i = 0; i < 31; i++) expect(slice.spent()).toBe(false);
    expect(read.mock.calls.length).toBe(reads);
    expect(slice.spent()).toBe(false); // 32nd call reads the clock: still within the slice
    clock = SLICE_MS;
    for (let i = 0; i < 31; i++) expect(slice.spent()).toBe(false);
    expect(slice.spent()).toBe(true);
    slice.start();
    for (let i = 0; i < 32; i++) expect(slice.spent()).toBe(false);
  });
});
