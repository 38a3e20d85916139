/**
 * Why a data point, a span or a payload did not reach a backend unchanged.
 * `invalid_attribute` and `cardinality_overflow` count points that were kept but altered;
 * `series_expired` counts cumulative series forgotten after going unseen (their totals restart).
 */
export type DropReason =
  | 'invalid_name'
  | 'invalid_value'
  | 'invalid_attribute'
  | 'cardinality_overflow'
  | 'too_many_metrics'
  | 'before_send'
  | 'before_send_error'
  | 'not_initialized'
  | 'sampled_out'
  | 'export_error'
  | 'export_timeout'
  | 'queue_overflow'
  | 'rate_limited'
  | 'network_error'
  | 'series_expired';

/** Where a drop is counted: a client's `DropCounter`, or anything with `record`. */
export interface DropRecorder {
  record(reason: DropReason, quantity?: number): void;
}

/** Counts by reason, as `getDroppedCounts()` reports them. */
export type DroppedCounts = Partial<Record<DropReason, number>>;

/**
 * Counts what was dropped, by reason, since the client started.
 *
 * @example
 * const drops = new DropCounter();
 * drops.record('invalid_value');
 * drops.snapshot(); // → { invalid_value: 1 }
 */
export class DropCounter implements DropRecorder {
  private readonly counts: DroppedCounts = {};

  record(reason: DropReason, quantity = 1): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + quantity;
  }

  snapshot(): DroppedCounts {
    return { ...this.counts };
  }

  total(): number {
    let sum = 0;
    for (const reason in this.counts) sum += this.counts[reason as DropReason] ?? 0;
    return sum;
  }
}
