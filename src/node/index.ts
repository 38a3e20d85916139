/** isometer for Node: the core API with async context, environment configuration and exit flush. */
export * from '../core/index';
export { init } from './init';
export { sentryExporter } from './sentry-exporter';
export { isometerMiddleware } from './middleware';
