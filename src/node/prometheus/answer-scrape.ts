import type { IncomingMessage, ServerResponse } from 'node:http';
import { debugLogger } from '../../core/internal/debug-logger';

/** What a scrape is answered with. */
export interface ScrapeResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

type Scrape = (accept?: string, acceptEncoding?: string) => Promise<ScrapeResponse>;

/**
 * Answers a scrape through whichever server called: Koa's context (`ctx.status`, `ctx.set`,
 * `ctx.body`, so Koa's own middleware still runs), Fastify's reply (`code`, `header`, `send`; an
 * async handler returns the reply it sent), or node:http's response (Express and Connect hand
 * node's own objects). GET and HEAD only; anything else is 405.
 *
 * @example
 * server.on('request', (req, res) => void answerScrape([req, res], handler.scrape));
 */
export async function answerScrape(args: unknown[], scrape: Scrape): Promise<unknown> {
  const [first, second] = args as [Record<string, unknown> | undefined, Record<string, unknown> | undefined];
  if (isRequest(first?.req) && isResponse(first?.res) && typeof first?.set === 'function') {
    // Koa: (ctx, next); the response goes through ctx so Koa's own middleware still runs.
    const ctx = first as { req: IncomingMessage; method: string; status: number; body: unknown; set(name: string, value: string): void };
    if (!allowed(ctx.req.method)) {
      ctx.status = 405;
      ctx.set('allow', 'GET, HEAD');
      return undefined;
    }
    const answer = await scrape(header(ctx.req, 'accept'), header(ctx.req, 'accept-encoding'));
    ctx.status = answer.status;
    for (const [name, value] of Object.entries(answer.headers)) ctx.set(name, value);
    ctx.body = Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength);
    return undefined;
  }
  if (isRequest(first?.raw) && isResponse(second?.raw) && typeof second?.send === 'function') {
    // Fastify: (request, reply); an async handler returns the reply it sent.
    const reply = second as { code(status: number): unknown; header(name: string, value: string): unknown; send(body: unknown): unknown };
    const request = first?.raw as IncomingMessage;
    if (!allowed(request.method)) {
      reply.code(405);
      reply.header('allow', 'GET, HEAD');
      return reply.send('');
    }
    const answer = await scrape(header(request, 'accept'), header(request, 'accept-encoding'));
    reply.code(answer.status);
    for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
    return reply.send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
  }
  if (isRequest(first) && isResponse(second)) {
    const request = first as unknown as IncomingMessage;
    const response = second as unknown as ServerResponse;
    if (!allowed(request.method)) {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return undefined;
    }
    const answer = await scrape(header(request, 'accept'), header(request, 'accept-encoding'));
    response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.byteLength) });
    response.end(request.method === 'HEAD' ? undefined : answer.body);
    return undefined;
  }
  debugLogger.warnOnce('prometheus:handle', 'prometheusHandler().handle was called with neither (req, res), (request, reply) nor (ctx, next); mount it as a route handler.');
  return undefined;
}

function allowed(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD';
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function isRequest(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as IncomingMessage).headers === 'object' && typeof (value as IncomingMessage).on === 'function';
}

function isResponse(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as ServerResponse).writeHead === 'function' && typeof (value as ServerResponse).end === 'function';
}
