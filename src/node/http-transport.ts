import { suppressTracing } from '../core/trace/suppress-tracing';
import * as http from 'node:http';
import * as https from 'node:https';
import type { HttpResponse, HttpTransport } from '../core/export/http/http-transport';

export interface NodeHttpTransportOptions {
  /** A request with no complete response after this long is aborted (a network error). Default 10000 ms. */
  timeoutMs?: number;
  /** Sockets per origin, kept alive between requests. Default 4. */
  maxSockets?: number;
}

export const DEFAULT_NODE_HTTP_TIMEOUT_MS = 10_000;

/**
 * The HTTP transport for Node, on `node:http`/`node:https` with keep-alive agents so a flush
 * every few seconds reuses its connection. It resolves with any status, rejects on network
 * errors, resets and timeouts, and never throws. Idle pooled sockets do not keep the process
 * alive (Node's agent unrefs them), so an app ends as it would without isometer.
 *
 * @example
 * import { otlpExporter } from 'isometer/otlp';
 * otlpExporter({ endpoint: 'http://collector:4318', transport: createNodeHttpTransport({ timeoutMs: 5000 }) });
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): HttpTransport {
  const timeoutMs = typeof options.timeoutMs === 'number' && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_NODE_HTTP_TIMEOUT_MS;
  const maxSockets = typeof options.maxSockets === 'number' && options.maxSockets >= 1 ? Math.floor(options.maxSockets) : 4;
  let httpAgent: http.Agent | undefined;
  let httpsAgent: https.Agent | undefined;
  return {
    send(request) {
      return new Promise<HttpResponse>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const url = new URL(request.url);
          const secure = url.protocol === 'https:';
          if (!secure && url.protocol !== 'http:') throw new Error(`unsupported protocol ${url.protocol} in ${request.url}`);
          const agent = secure ? (httpsAgent ??= new https.Agent({ keepAlive: true, maxSockets })) : (httpAgent ??= new http.Agent({ keepAlive: true, maxSockets }));
          const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
          // Suppressed, so isometer's own http instrumentation neither traces nor tags an export.
          const outgoing = suppressTracing(() =>
            (secure ? https : http).request(url, {
              method: 'POST',
              agent,
              headers: { ...request.headers, 'content-length': String(body.length) },
            }),
          );
          // One deadline for the whole exchange: a server that accepts and then says nothing
          // must not hold a request (and the exporter's queue) forever.
          timer = setTimeout(() => outgoing.destroy(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
          timer.unref();
          outgoing.on('response', (response) => {
            // Reading the body to its end returns the socket to the pool for the next flush; the
            // deadline stays until then, so a body that never ends does not pin a socket.
            response.resume();
            response.on('error', () => undefined);
            response.on('close', () => clearTimeout(timer));
            resolve({
              status: response.statusCode ?? 0,
              headers: { 'retry-after': headerValue(response.headers['retry-after']), 'x-sentry-rate-limits': headerValue(response.headers['x-sentry-rate-limits']) },
            });
          });
          outgoing.on('error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
          outgoing.end(body);
        } catch (error) {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    close() {
      httpAgent?.destroy();
      httpsAgent?.destroy();
      httpAgent = undefined;
      httpsAgent = undefined;
    },
  };
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(',') : value;
}
