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
