import { afterEach, describe, expect, it, vi } from 'vitest';
import { SLICE_MS, TimeSlice, turnDeadline, yieldToHost } from '../../../../src/core/internal/yield-to-host';

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
  it(`is spent once ${SLICE_MS} ms have passed, reading the clock only every 32 calls; a fresh slice after the host's turn`, async () => {
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
    await yieldToHost();
    slice.start();
    for (let i = 0; i < 32; i++) expect(slice.spent()).toBe(false);
  });

  it("shares one turn's budget between the slices started in it (each may still do 1 ms), and reopens it once the host had its turn", async () => {
    let clock = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    await yieldToHost();
    const collecting = new TimeSlice();
    expect(turnDeadline()).toBe(1000 + SLICE_MS);
    clock += SLICE_MS;
    // A second piece of sliced work in the same turn (encoding after collection) gets only the
    // 1 ms every slice may do, not a budget of its own.
    const encoding = new TimeSlice();
    clock += 1;
    for (let i = 0; i < 31; i++) expect(encoding.spent()).toBe(false);
    expect(encoding.spent()).toBe(true);
    for (let i = 0; i < 31; i++) collecting.spent();
    expect(collecting.spent()).toBe(true);
    await yieldToHost();
    encoding.start();
    expect(turnDeadline()).toBe(clock + SLICE_MS);
    for (let i = 0; i < 32; i++) expect(encoding.spent()).toBe(false);
  });
});
