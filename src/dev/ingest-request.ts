/**
 * Turns one ingest request's body into batches, or says why it cannot: OTLP/HTTP JSON or
 * protobuf (by `content-type`, sniffed when there is none) and Sentry envelopes.
 */
import { decodeOtlpMetrics, decodeOtlpSpans } from './decode-otlp-json';
import { otlpMetricsFromProtobuf, otlpSpansFromProtobuf } from './decode-otlp-protobuf';
import { decodeSentryEnvelope } from './decode-sentry-envelope';
import type { IngestBatch } from './viewer-types';

/** What became of a request: the batches, or the 4xx status and the reason it is counted under. */
export type IngestOutcome = { ok: true; batches: IngestBatch[]; protobuf?: boolean } | { ok: false; status: number; reason: string; message: string };

/**
 * @example
 * ingestOtlp('metrics', body, 'application/x-protobuf');
 */
export function ingestOtlp(signal: 'metrics' | 'traces', body: Uint8Array, contentType: string): IngestOutcome {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const protobuf = type === 'application/x-protobuf' || type === 'application/protobuf' || (type === '' && body.length > 0 && body[0] !== 0x7b);
  const json = type === 'application/json' || type === 'text/plain' || (type === '' && !protobuf);
  if (!protobuf && !json) return { ok: false, status: 415, reason: 'unsupported_content_type', message: `OTLP/HTTP takes application/x-protobuf or application/json, not ${type}` };
  try {
    if (protobuf) {
      const request = signal === 'metrics' ? otlpMetricsFromProtobuf(body) : otlpSpansFromProtobuf(body);
      return { ok: true, protobuf, batches: signal === 'metrics' ? decodeOtlpMetrics(request) : decodeOtlpSpans(request) };
    }
    const request: unknown = body.length === 0 ? {} : JSON.parse(new TextDecoder().decode(body));
    return { ok: true, batches: signal === 'metrics' ? decodeOtlpMetrics(request) : decodeOtlpSpans(request) };
  } catch (error) {
    const reason = protobuf ? 'invalid_protobuf' : 'invalid_json';
    return { ok: false, status: 400, reason, message: `the body is not an OTLP ${signal} request (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * @example
 * ingestEnvelope(body, 'checkout-api');
 */
export function ingestEnvelope(body: Uint8Array, publicKey: string | undefined): IngestOutcome {
  try {
    return { ok: true, batches: [decodeSentryEnvelope(body, publicKey).batch] };
  } catch (error) {
    return { ok: false, status: 400, reason: 'invalid_envelope', message: `the body is not a Sentry envelope (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * The DSN public key of a Sentry request: `?sentry_key=` (browser SDKs) or the
 * `X-Sentry-Auth: Sentry sentry_key=…` header (server SDKs).
 *
 * @example
 * sentryKeyOf(url, req.headers); // 'dev'
 */
export function sentryKeyOf(url: URL, headers: Record<string, string | string[] | undefined>): string | undefined {
  const fromQuery = url.searchParams.get('sentry_key');
  if (fromQuery) return fromQuery;
  const auth = headers['x-sentry-auth'];
  const match = /sentry_key=([^,\s]+)/.exec(Array.isArray(auth) ? auth.join(',') : (auth ?? ''));
  return match ? match[1] : undefined;
}
