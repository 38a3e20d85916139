/**
 * The script tag's companion file (dist/isometer.engine.min.js): the page's engine and the
 * exporters the tag makes lazily, loaded by dist/isometer.min.js from next to itself. It shares
 * the page's state with the tag through the carrier on `globalThis`.
 */
export { startEngine } from './engine';
export { otlpExporter } from '../core/export/otlp/otlp-exporter';
export { consoleExporter } from '../core/export/console-exporter';
export { memoryExporter } from '../core/export/memory-exporter';
export { sentryExporter } from './lazy-sentry';
