/**
 * The script-tag build: an IIFE that defines `window.Isometer` with the browser API.
 *
 * @example
 * <script src="https://unpkg.com/isometer/dist/isometer.min.js"></script>
 * <script>Isometer.init({ flushIntervalMs: 5000 }); Isometer.metrics.count('page.view');</script>
 */
export * from './browser/index';
