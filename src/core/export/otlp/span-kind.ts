/** `Span.SpanKind` values of the OTLP trace proto. */
export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

/**
 * The OTLP span kind for a Sentry-style `op` (`http.client`, `http.server`, `db.*`, `cache.*`,
 * and the queue ops of https://docs.sentry.io/platforms/javascript/guides/node/tracing/instrumentation/queues-module/):
 * the reverse of how Sentry names OpenTelemetry spans by kind. Unknown ops are INTERNAL.
 *
 * @example
 * spanKindFromOp('http.client');   // → 3 (CLIENT)
 * spanKindFromOp('queue.process'); // → 5 (CONSUMER)
 */
export function spanKindFromOp(op: string | undefined): number {
  if (!op) return SPAN_KIND.INTERNAL;
  if (op === 'http.server' || op.startsWith('http.server.') || op === 'rpc.server' || op === 'function.server') return SPAN_KIND.SERVER;
  if (op === 'queue.publish' || op === 'queue.submit' || op === 'queue.send') return SPAN_KIND.PRODUCER;
  if (op === 'queue.process' || op === 'queue.receive' || op.startsWith('queue.task')) return SPAN_KIND.CONSUMER;
  if (op === 'http.client' || op === 'rpc.client' || op === 'db' || op.startsWith('db.') || op.startsWith('cache.') || op.endsWith('.client')) return SPAN_KIND.CLIENT;
  return SPAN_KIND.INTERNAL;
}
