import { planOutgoingRequest as planWithRule, type OutgoingPlan, type OutgoingRequest, type OutgoingRuntime } from '../core/trace/outgoing';
import type { Span } from '../core/trace/span';
import { isSentryActive } from './sentry';

export type { OutgoingPlan, OutgoingRequest } from '../core/trace/outgoing';

// Node's side of the one outgoing rule (core/trace/outgoing.ts): every URL is a target by
// default, a request made outside any span gets no span of its own (as Sentry does), and there
// is no "same origin".
const NODE_RUNTIME: OutgoingRuntime = {
  propagatesByDefault: () => true,
  sameOrigin: () => false,
};

/**
 * Decides for one outgoing request by the shared rule, unless an initialised Sentry SDK owns
 * spans and header injection in this process (headers are never injected twice).
 */
export function planOutgoingRequest(request: OutgoingRequest): OutgoingPlan | undefined {
  if (isSentryActive()) return undefined;
  return planWithRule(request, NODE_RUNTIME);
}

/** Sets the response status on a client span and ends it; no response at all is an error. */
export function endOutgoingSpan(span: Span, statusCode: number | undefined, errorMessage?: string): void {
  if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
  if (errorMessage !== undefined) span.setStatus('error', errorMessage);
  else if (statusCode === undefined) span.setStatus('error', 'no response');
  else if (statusCode >= 500) span.setStatus('error', `HTTP ${statusCode}`);
  span.end();
}
