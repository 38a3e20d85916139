import { getCarrierClient } from '../carrier';
import type { Span } from './span';
import type { TracingOptions } from './tracing-options';
import type { Propagators } from './propagators';

/** What tracing needs of the active client: its tracing options and where ended spans go. */
export interface TracingClient {
  /** `propagators`: the header families to write and read (resolved from options and environment). */
  readonly options: TracingOptions & { readonly propagators?: Propagators };
  onSpanEnd(span: Span): void;
}

/** The active client as tracing sees it, or undefined when none is active (or it does not trace). */
export function getTracingClient(): TracingClient | undefined {
  const client = getCarrierClient() as Partial<TracingClient> | undefined;
  // The carrier is shared by every copy of isometer in the runtime, so the shape is checked, not assumed.
  return client !== undefined && typeof client.onSpanEnd === 'function' && typeof client.options === 'object' ? (client as TracingClient) : undefined;
}
