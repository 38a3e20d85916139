/**
 * Distinct attribute sets per metric per interval before new ones fold into an overflow series
 * (the `maxSeriesPerMetric` default). Kept apart from the aggregator so validating options does
 * not load it (a page's `init` validates before its engine chunk arrives).
 */
export const DEFAULT_MAX_SERIES_PER_METRIC = 2000;
