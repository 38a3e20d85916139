/**
 * How much the viewer keeps. Past each cap the oldest (least recently updated) entry goes first,
 * and what went is counted in the state's `evicted` and shown on the page.
 *
 * @example
 * createViewerStore({ ...DEFAULT_VIEWER_LIMITS, maxTraces: 50 });
 */
export interface ViewerLimits {
  /** Distinct series (origin + service + type + name + unit + attributes). */
  maxSeries: number;
  /** Received points kept per series, newest last (what `/api/state` lists and the Playwright fixture reads). */
  maxPointsPerSeries: number;
  /** Chart intervals kept per series (`bucketMs` each). */
  maxIntervalsPerSeries: number;
  maxTraces: number;
  maxSpansPerTrace: number;
  /** Distinct (origin, metric) links per trace. */
  maxMetricLinksPerTrace: number;
  /** The charts' interval. */
  bucketMs: number;
  /** A request body larger than this is refused with 413 (before and after decompression). */
  maxBodyBytes: number;
}

export const DEFAULT_VIEWER_LIMITS: ViewerLimits = {
  maxSeries: 1000,
  maxPointsPerSeries: 120,
  maxIntervalsPerSeries: 150,
  maxTraces: 500,
  maxSpansPerTrace: 500,
  maxMetricLinksPerTrace: 100,
  bucketMs: 2000,
  maxBodyBytes: 5 * 1024 * 1024,
};
