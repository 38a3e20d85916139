/**
 * An OpenTelemetry tracer as a Node service would run it: a BasicTracerProvider (always-on
 * sampler) whose `startActiveSpan` switches context through the AsyncLocalStorage context
 * manager, as isometer's `startSpan` does through its own (without one, OpenTelemetry's context
 * API is a no-op and `startActiveSpan` would skip the work a real service pays for). The span
 * processor only counts what ended, so the figures include the SDK's own span work and nothing
 * of a wire.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

export function startOpenTelemetryTracing() {
  let ended = 0;
  const counter = {
    onStart() {},
    onEnd() {
      ended++;
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const contextManager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(contextManager)) throw new Error('another OpenTelemetry context manager is already registered');
  const provider = new BasicTracerProvider({ spanProcessors: [counter] });
  return {
    tracer: provider.getTracer('isometer-bench'),
    /** How many spans ended since the last call. */
    spansEnded() {
      const count = ended;
      ended = 0;
      return count;
    },
    stop: async () => {
      await provider.shutdown();
      context.disable();
    },
  };
}
