import http from 'node:http';
import https from 'node:https';
import { debugLogger } from '../core/internal/debug-logger';
import { traceIncomingRequest } from './incoming-request-tracing';

// Marks isometer's wrapper, globally, so two copies of isometer (ESM and CJS) never stack two.
const PATCHED = Symbol.for('isometer.http-server.emit');

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
type MarkedEmit = Emit & { [PATCHED]?: true };

/** Events that hand a handler a request and its response (`checkContinue`: `Expect: 100-continue`). */
const REQUEST_EVENTS = new Set<string | symbol>(['request', 'checkContinue']);

/**
 * Wraps `emit` on one server prototype. `https.Server` inherits from `tls.Server`, not from
 * `http.Server`, so both prototypes are patched. Patching the prototype covers servers created
 * before and after `init`, and the wrapper sits around every `'request'` listener (an Express app,
 * a plain handler), so the span is active for all of them. Undo restores the prototype when the
 * wrapper is still on top; when another tool wrapped it since, the wrapper stays in their chain
 * but only passes calls through.
 */
function patchServerEmit(prototype: { emit: Emit }): () => void {
  const original = prototype.emit as MarkedEmit;
  if (original[PATCHED]) return () => undefined;
  const ownDescriptor = Object.getOwnPropertyDescriptor(prototype, 'emit');
  let enabled = true;
  // `arguments` rather than rest parameters: every event of every server (connections, each
  // request) passes through here, and `apply(this, arguments)` allocates no array.
  const wrapped: MarkedEmit = function emit(this: unknown, event) {
    const args = arguments;
    if (enabled && args.length >= 3 && REQUEST_EVENTS.has(event)) {
      return traceIncomingRequest(args[1] as http.IncomingMessage, args[2] as http.ServerResponse, () => original.apply(this, args as unknown as Parameters<Emit>));
    }
    return original.apply(this, args as unknown as Parameters<Emit>);
  };
  wrapped[PATCHED] = true;
  Object.defineProperty(prototype, 'emit', { value: wrapped, writable: true, configurable: true, enumerable: false });
  return () => {
    enabled = false;
    if (prototype.emit !== wrapped) return;
    if (ownDescriptor) Object.defineProperty(prototype, 'emit', ownDescriptor);
    else delete (prototype as Partial<typeof prototype>).emit;
  };
}

/**
 * Makes every request to a `node:http` or `node:https` server continue its caller's trace in an
 * `http.server` span (see `traceIncomingRequest`). Returns the function that undoes it.
 *
 * Why a prototype `emit` wrap rather than the `http.server.request.start` diagnostics channel: a
 * channel subscriber only observes, it cannot run the handler inside an `AsyncLocalStorage`
 * context, so it would still need a per-server `emit` wrap installed on the first request of
 * each server, which can never be removed again. The prototype wrap works the same on Node 18,
 * 20 and 22, and `close()` takes it off.
 *
 * @example
 * const undo = instrumentHttpServer();
 * http.createServer((req, res) => res.end(getTraceHeaders()['sentry-trace'])).listen(3000);
 * undo();
 */
export function instrumentHttpServer(): () => void {
  const undos: Array<() => void> = [];
  for (const prototype of [http.Server.prototype, https.Server.prototype]) {
    try {
      undos.push(patchServerEmit(prototype as unknown as { emit: Emit }));
    } catch (error) {
      debugLogger.internalError('http.server: instrumenting', error);
    }
  }
  return () => {
    for (const undo of undos.splice(0)) undo();
  };
}
