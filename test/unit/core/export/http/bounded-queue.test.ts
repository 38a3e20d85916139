import { describe, it, expect } from 'vitest';
import { BoundedQueue } from '../../../../../src/core/export/http/bounded-queue';

describe('BoundedQueue', () => {
  it('evicts the oldest entries when the item bound is passed', () => {
    const queue = new BoundedQueue<string>(2, 1000);
    expect(queue.push('a', 1)).toEqual([]);
    expect(queue.push('b', 1)).toEqual([]);
    expect(queue.push('c', 1)).toEqual(['a']);
    expect(queue.items()).toEqual(['b', 'c']);
  });

  it('evicts as many oldest entries as the byte bound needs and keeps the byte total exact', () => {
    const queue = new BoundedQueue<string>(10, 100);
    queue.push('a', 40);
    queue.push('b', 40);
    expect(queue.push('c', 90)).toEqual(['a', 'b']);
    expect(queue.bytes).toBe(90);
    expect(queue.size).toBe(1);
  });

  it('refuses an entry larger than the byte bound without evicting anything', () => {
    const queue = new BoundedQueue<string>(10, 100);
    queue.push('a', 50);
    expect(queue.push('huge', 101)).toEqual(['huge']);
    expect(queue.items()).toEqual(['a']);
  });

  it('puts an entry back at the head, and evicts it first when that overflows', () => {
    const queue = new BoundedQueue<string>(2, 1000);
    queue.push('b', 1);
    expect(queue.unshift('a', 1)).toEqual([]);
    expect(queue.items()).toEqual(['a', 'b']);
    queue.remove('a');
    queue.push('c', 1);
    expect(queue.unshift('a', 1)).toEqual(['a']);
    expect(queue.items()).toEqual(['b', 'c']);
  });

  it('finds the first matching entry, removes it and drains the rest in order', () => {
    const queue = new BoundedQueue<number>(5, 1000);
    for (const n of [1, 2, 3, 4]) queue.push(n, 10);
    expect(queue.find((n) => n % 2 === 0)).toBe(2);
    expect(queue.remove(2)).toBe(true);
    expect(queue.remove(2)).toBe(false);
    expect(queue.bytes).toBe(30);
    expect(queue.drain()).toEqual([1, 3, 4]);
    expect(queue.size).toBe(0);
    expect(queue.bytes).toBe(0);
  });
});
