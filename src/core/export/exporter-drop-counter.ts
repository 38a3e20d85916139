import { DropCounter, type DroppedCounts, type DropReason } from '../internal/drop-counter';

/**
 * One exporter's view of its client's drop counter: every drop is counted on the client (so
 * `getDroppedCounts()` sees it), and also kept here, so it can be told which exporter lost what.
 * `snapshot()` and `total()` read the client's counts, as an export context's `drops` always has.
 *
 * @example
 * const drops = new ExporterDropCounter(client.drops);
 * drops.record('network_error', 3);
 * drops.own(); // → { network_error: 3 }
 */
export class ExporterDropCounter extends DropCounter {
  constructor(private readonly client: DropCounter) {
    super();
  }

  override record(reason: DropReason, quantity = 1): void {
    this.client.record(reason, quantity);
    super.record(reason, quantity);
  }

  override snapshot(): DroppedCounts {
    return this.client.snapshot();
  }

  override total(): number {
    return this.client.total();
  }

  /** What was counted through this view alone. */
  own(): DroppedCounts {
    return super.snapshot();
  }
}
