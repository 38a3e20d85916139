import { mergeAttributes, type Attributes } from '../internal/attributes';
import type { DroppedCounts, DropCounter, DropReason } from '../internal/drop-counter';
import type { Exporter } from '../export/exporter';
import { ExporterDropCounter } from '../export/exporter-drop-counter';
import type { CounterPoint } from '../metrics/types';

/** The names of isometer's own series (`selfTelemetry: true`): not prefixed, never folded. */
export const SELF_TELEMETRY_METRICS = {
  dropped: 'isometer.telemetry.dropped',
  exportedPoints: 'isometer.telemetry.exported_points',
  overflowedSeries: 'isometer.telemetry.overflowed_series',
} as const;

/** The `exporter` attribute of drops no exporter made (bad input, before_send, a full span queue). */
export const NO_EXPORTER = 'none';

interface ExporterTally {
  readonly name: string;
  /** Drops of the app's data by this exporter. */
  readonly drops: ExporterDropCounter;
  /** Drops of the telemetry points themselves: counted on the client, never reported back. */
  readonly telemetryDrops: ExporterDropCounter;
  handed: number;
  reportedHanded: number;
  reported: DroppedCounts;
}

/**
 * isometer's own loss, reported as metrics through the same exporters (`selfTelemetry: true`):
 * `isometer.telemetry.dropped{reason, exporter}`, `isometer.telemetry.exported_points{exporter}`
 * and `isometer.telemetry.overflowed_series`, each the delta since the previous flush, read from
 * the client's drop counter and the points handed to each exporter. Exact and never recursive:
 * the points are built here (no cardinality budget folds them, no `beforeSendMetric` drops them),
 * they are handed over in a call of their own whose losses are counted on the client but not
 * reported back, and they are not counted as exported points, so an idle client sends nothing.
 * Cardinality folds are `overflowed_series`, not drops.
 */
export class SelfTelemetry {
  private readonly tallies = new Map<Exporter, ExporterTally>();
  private reportedClient: DroppedCounts = {};
  private reportedOverflow = 0;

  constructor(
    private readonly clientDrops: DropCounter,
    private readonly globalAttributes: Attributes,
  ) {}

  /** Where the exporter counts what it loses of the app's data. */
  dropsFor(exporter: Exporter): ExporterDropCounter {
    return this.tally(exporter).drops;
  }

  /** Where the exporter counts what it loses of the telemetry points. */
  telemetryDropsFor(exporter: Exporter): ExporterDropCounter {
    return this.tally(exporter).telemetryDrops;
  }

  /** The exporter was handed `points` of the app's metric points. */
  handed(exporter: Exporter, points: number): void {
    this.tally(exporter).handed += points;
  }

  /** The deltas since the last call, as counter points over the interval; none when nothing changed. */
  collect(startTimeMs: number, endTimeMs: number): CounterPoint[] {
    const points: CounterPoint[] = [];
    const add = (name: string, value: number, attributes: Attributes): void => {
      if (value > 0)
        points.push({ type: 'counter', name, unit: '', attributes: mergeAttributes(this.globalAttributes, attributes), startTimeMs, timeMs: endTimeMs, exemplars: [], sum: value, count: 1 });
    };
    const byExporters: Partial<Record<DropReason, number>> = {};
    let telemetryOverflow = 0;
    for (const tally of this.tallies.values()) {
      add(SELF_TELEMETRY_METRICS.exportedPoints, tally.handed - tally.reportedHanded, { exporter: tally.name });
      tally.reportedHanded = tally.handed;
      const own = tally.drops.own();
      for (const reason of Object.keys(own) as DropReason[]) {
        const count = own[reason] ?? 0;
        byExporters[reason] = (byExporters[reason] ?? 0) + count;
        if (reason !== 'cardinality_overflow') add(SELF_TELEMETRY_METRICS.dropped, count - (tally.reported[reason] ?? 0), { exporter: tally.name, reason });
      }
      tally.reported = own;
      const telemetryOwn = tally.telemetryDrops.own();
      for (const reason of Object.keys(telemetryOwn) as DropReason[]) byExporters[reason] = (byExporters[reason] ?? 0) + (telemetryOwn[reason] ?? 0);
      telemetryOverflow += telemetryOwn.cardinality_overflow ?? 0;
    }
    // What the client counted that no exporter view did: bad input, before_send, a full span queue.
    const client = this.clientDrops.snapshot();
    const clientOwn: DroppedCounts = {};
    for (const reason of Object.keys(client) as DropReason[]) {
      const count = (client[reason] ?? 0) - (byExporters[reason] ?? 0);
      clientOwn[reason] = count;
      if (reason !== 'cardinality_overflow') add(SELF_TELEMETRY_METRICS.dropped, count - (this.reportedClient[reason] ?? 0), { exporter: NO_EXPORTER, reason });
    }
    this.reportedClient = clientOwn;
    const overflow = (client.cardinality_overflow ?? 0) - telemetryOverflow;
    add(SELF_TELEMETRY_METRICS.overflowedSeries, overflow - this.reportedOverflow, {});
    this.reportedOverflow = overflow;
    return points;
  }

  private tally(exporter: Exporter): ExporterTally {
    let tally = this.tallies.get(exporter);
    if (tally === undefined) {
      tally = { name: exporter.name, drops: new ExporterDropCounter(this.clientDrops), telemetryDrops: new ExporterDropCounter(this.clientDrops), handed: 0, reportedHanded: 0, reported: {} };
      this.tallies.set(exporter, tally);
    }
    return tally;
  }
}
