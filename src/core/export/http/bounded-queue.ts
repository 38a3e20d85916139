interface Slot<T> {
  item: T;
  bytes: number;
}

/**
 * A FIFO bounded by item count and by bytes. Adding past either bound evicts the oldest entries
 * and hands them back, so the caller can count them; an entry larger than the byte bound on its
 * own is refused (handed back) without evicting anything.
 *
 * @example
 * const queue = new BoundedQueue<string>(2, 1024);
 * queue.push('a', 10);
 * queue.push('b', 10);
 * queue.push('c', 10); // → ['a'] (evicted)
 */
export class BoundedQueue<T> {
  // Queues here hold whole requests (tens, not millions), so an array's O(n) shift is cheap.
  private slots: Array<Slot<T>> = [];
  private totalBytes = 0;

  constructor(
    readonly maxItems: number,
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.slots.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Appends `item`; returns what was evicted to make room (oldest first), or `[item]` when it can never fit. */
  push(item: T, bytes: number): T[] {
    if (bytes > this.maxBytes || this.maxItems < 1) return [item];
    this.slots.push({ item, bytes });
    this.totalBytes += bytes;
    return this.evictOverflow();
  }

  /**
   * Puts `item` back at the head (a retry keeps its place in line). When that overflows, the
   * oldest entries go, and `item` is the oldest.
   */
  unshift(item: T, bytes: number): T[] {
    if (bytes > this.maxBytes || this.maxItems < 1) return [item];
    this.slots.unshift({ item, bytes });
    this.totalBytes += bytes;
    return this.evictOverflow();
  }

  /** The first entry, oldest first, that `predicate` accepts. */
  find(predicate: (item: T) => boolean): T | undefined {
    for (const slot of this.slots) if (predicate(slot.item)) return slot.item;
    return undefined;
  }

  /** Removes `item`; true when it was there. */
  remove(item: T): boolean {
    const index = this.slots.findIndex((slot) => slot.item === item);
    if (index < 0) return false;
    this.totalBytes -= this.slots[index].bytes;
    this.slots.splice(index, 1);
    return true;
  }

  /** Every entry, oldest first. */
  items(): T[] {
    return this.slots.map((slot) => slot.item);
  }

  /** Empties the queue and returns what it held, oldest first. */
  drain(): T[] {
    const drained = this.items();
    this.slots = [];
    this.totalBytes = 0;
    return drained;
  }

  private evictOverflow(): T[] {
    const evicted: T[] = [];
    while (this.slots.length > this.maxItems || this.totalBytes > this.maxBytes) {
      const oldest = this.slots.shift()!;
      this.totalBytes -= oldest.bytes;
      evicted.push(oldest.item);
    }
    return evicted;
  }
}
