import type { IncomingMessage, ServerResponse } from 'node:http';
import { debugLogger } from '../core/internal/debug-logger';
import { incomingRequestState, traceIncomingRequest } from './incoming-request-tracing';

/** The parts of an Express/Connect request the middleware reads: the matched route, if any. */
interface RoutedRequest extends IncomingMessage {
  route?: { path?: unknown };
  baseUrl?: unknown;
}

/** Express sets `req.route` when a route matches and keeps it; a mounted router adds `req.baseUrl`. */
function routeOf(request: RoutedRequest): string | undefined {
  const path = request.route?.path;
  if (typeof path !== 'string') return undefined;
  const base = typeof request.baseUrl === 'string' ? request.baseUrl : '';
  return `${base}${path}` || '/';
}

/**
 * Express/Connect middleware: the request continues its caller's trace in an `http.server`
 * span, named after the matched route (`GET /users/:id`) once the response finishes, so span
 * names and the `http.server.request.duration` metric stay low-cardinality. When `init` from
 * `isometer/node` already traces the server, it only lends the route to that span; there is never
 * a second span. Mount it first. Never throws.
 *
 * @example
 * const app = express();
 * app.use(isometerMiddleware());
 * app.get('/users/:id', async (req, res) => res.json(await loadUser(req.params.id)));
 */
export function isometerMiddleware(): (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void {
  return function isometerMiddleware(request, response, next) {
    let traced = false;
    try {
      const state = incomingRequestState(request);
      if (state !== undefined) {
        state.routeResolver ??= () => routeOf(request as RoutedRequest);
      } else {
        traced = true;
      }
    } catch (error) {
      debugLogger.internalError('isometerMiddleware', error);
    }
    if (!traced) return next();
    return traceIncomingRequest(
      request,
      response,
      () => next(),
      () => routeOf(request as RoutedRequest),
    );
  };
}
