import { getContextManager, type MetricsRecorder } from '../core/carrier';
import type { EarlyCall } from './early-recorder';

/** Records `calls` into `recorder` in their order, each inside the context it was made in. */
export function replayEarlyCalls(calls: EarlyCall[], recorder: MetricsRecorder): void {
  const manager = getContextManager();
  for (const [op, name, value, unit, attributes, , context, where] of calls) {
    const record = (): void => {
      if (op === 0) recorder.count(name as string, value as number, unit, attributes);
      else if (op === 1) recorder.gauge(name as string, value as number, unit, attributes);
      else recorder.distribution(name as string, value as number, unit, attributes, where);
    };
    if (context === undefined) record();
    else manager.with(context, record);
  }
}
