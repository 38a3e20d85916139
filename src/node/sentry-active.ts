import { detectSentryClient } from '../core/sentry/detect-sentry';

/**
 * True when a Sentry SDK has been initialised in this process and not closed. Sentry then owns
 * spans and trace-header injection, so isometer adds no headers of its own (headers are never
 * injected twice). Never throws.
 *
 * @example
 * if (!isSentryActive()) request.setHeader('sentry-trace', getTraceHeaders()['sentry-trace']);
 */
export function isSentryActive(): boolean {
  return detectSentryClient() !== undefined;
}
