import type * as IsometerBrowser from '../../../src/browser/index';
import type { MemoryExporter, MetricBatch } from '../../../src/browser/index';

/**
 * What a test page exposes on `window`: the script-tag build's global and the page's memory
 * exporter, plus `nextExport()`, which resolves with the next batch any flush exports.
 */
export interface IsometerTestHooks {
  memory: MemoryExporter;
  nextExport(): Promise<MetricBatch>;
}

declare global {
  interface Window {
    Isometer: typeof IsometerBrowser;
    isometerTest: IsometerTestHooks;
  }
}
