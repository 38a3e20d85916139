import type { OperationOutcomeInfo } from './operation-info';
import { optionsObject } from './operation-fields';
import { OPERATIONS, type Operation } from './operations';
import { processorMetrics, type ProcessorMetrics, type ProcessorMetricsOptions } from './processor-metrics';
import { recordOperation } from './record-operation';
import { resolveRecorderPrefix } from './recorder-metric-name';
import { trackOperation, type OperationScope } from './track-operation';

/** Options of `createRecorders`. */
export interface RecordersOptions {
  /**
   * Prepended with a dot to every recorder metric: `prefix: 'billing'` gives
   * `billing.api.call.duration`. Default: none. `init({ prefix })` still applies on top.
   */
  prefix?: string;
}

type OperationTable = typeof OPERATIONS;
type InfoOf<Row> = Row extends Operation<infer Info> ? Info : never;
type Tracked<Info> = Omit<Info, 'durationMs'>;

/** `record<Name>(info)` and `track<Name>(info, fn)` for every row of the operations table. */
export type OperationRecorders = {
  readonly [Name in keyof OperationTable as `record${Name}`]: (info: InfoOf<OperationTable[Name]>) => void;
} & {
  readonly [Name in keyof OperationTable as `track${Name}`]: <T>(info: Tracked<InfoOf<OperationTable[Name]>>, fn: (scope: OperationScope<Tracked<InfoOf<OperationTable[Name]>>>) => T) => T;
};

/** Every ready recorder, bound to one prefix. Each behaves as its default-instance namesake. */
export interface Recorders extends OperationRecorders {
  readonly prefix: string;
  /** `processorMetrics` with this prefix (an explicit `options.prefix` still wins). */
  processorMetrics(processorName: string, options?: ProcessorMetricsOptions): ProcessorMetrics;
}

/**
 * The recorders with a metric name prefix, for a library or subsystem that namespaces its own
 * metrics. The functions exported on their own (`recordApiCall`, `trackTask`, …) are the same
 * recorders with no prefix. Each is generated from a row of the operations table.
 *
 * @example
 * const recorders = createRecorders({ prefix: 'billing' });
 * recorders.recordApiCall({ service: 'stripe', endpoint: '/v1/charges', method: 'POST', statusCode: 200, durationMs: 84 });
 * // → billing.api.call.duration, billing.api.call.count
 */
export function createRecorders(options?: RecordersOptions): Recorders {
  const prefix = resolveRecorderPrefix(optionsObject(options)?.prefix, 'createRecorders');
  const recorders: Record<string, unknown> = {
    prefix,
    processorMetrics: (processorName: string, processorOptions?: ProcessorMetricsOptions) => {
      const given = optionsObject(processorOptions) ?? {};
      return processorMetrics(processorName, { ...given, prefix: given.prefix ?? prefix });
    },
  };
  for (const operation of Object.values(OPERATIONS) as Array<Operation<OperationOutcomeInfo>>) {
    recorders[`record${operation.name}`] = (info: OperationOutcomeInfo): void => {
      recordOperation(operation, prefix, info);
    };
    recorders[`track${operation.name}`] = <T>(info: Tracked<OperationOutcomeInfo>, fn: (scope: OperationScope<Tracked<OperationOutcomeInfo>>) => T): T => trackOperation(operation, prefix, info, fn);
  }
  return recorders as unknown as Recorders;
}
