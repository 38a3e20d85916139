/** isometer for browsers: the core API with page-lifecycle delivery. */
export * from '../core/index';
export { init } from './init';
export { sentryExporter } from './sentry-exporter';
