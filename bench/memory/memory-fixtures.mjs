/**
 * The series every library holds in the memory measurement: MEMORY_METRICS metrics, each with
 * MEMORY_SERIES_PER_METRIC attribute sets of three string attributes (50 routes × 4 methods × 5
 * statuses), inside every library's default series limit. Distributions get the same values in
 * every series: log-uniform over three decades (1 ms to 1 s), the range the 1 % error bound covers.
 */
export const MEMORY_METRICS = 10;
export const MEMORY_SERIES_PER_METRIC = 1000;
/** Values recorded into each distribution series. */
export const DISTRIBUTION_VALUES = 64;

const ROUTES = Array.from({ length: 50 }, (_, i) => `/api/resource-${i}`);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = ['200', '201', '304', '404', '500'];

export function memoryAttributes(i) {
  return { route: ROUTES[i % 50], method: METHODS[Math.floor(i / 50) % 4], status: STATUSES[Math.floor(i / 200) % 5] };
}

/** One value per counter series; DISTRIBUTION_VALUES spread evenly in log space over 1–1000 ms. */
export function memoryValues(kind) {
  if (kind === 'counter') return [1];
  return Array.from({ length: DISTRIBUTION_VALUES }, (_, i) => Math.pow(10, (3 * i) / (DISTRIBUTION_VALUES - 1)));
}
