import { debugLogger } from '../internal/debug-logger';
import { cancelTimeout, scheduleTimeout, type TimerHandle } from '../internal/runtime-globals';

/**
 * Runs `work`, resolving false once `timeoutMs` has passed if it has not settled by then (the
 * work's own timers settle it at `timeoutMs` too; this is the backstop). With `keepAlive`, the
 * deadline timer is ref'd: a Node process stays up for the pending call and not a moment longer.
 */
export function withDeadline(timeoutMs: number, keepAlive: boolean, work: () => Promise<boolean>): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let settled = false;
    let timer: TimerHandle;
    const settle = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      cancelTimeout(timer);
      resolve(ok);
    };
    // A little past the exporters' own deadline, so their timeouts are counted before this settles.
    // When it fires first, the event loop was held up and the work's own timers are overdue: they
    // run next, and get one more slack to count what was lost (a close's last phase starts then).
    timer = scheduleTimeout(
      () => {
        timer = scheduleTimeout(() => settle(false), DEADLINE_SLACK_MS, keepAlive);
      },
      timeoutMs + DEADLINE_SLACK_MS,
      keepAlive,
    );
    work().then(settle, (error: unknown) => {
      debugLogger.internalError('flush', error);
      settle(false);
    });
  });
}

/** How far past `timeoutMs` the backstop fires: enough for the exporters' own timers to fire first. */
const DEADLINE_SLACK_MS = 25;
/** How long past its budget a shutdown is waited for (within DEADLINE_SLACK_MS): its own timers fire first. */
export const SHUTDOWN_GRACE_MS = 10;
/** What a close keeps of its budget for the exporters' shutdowns when the flush would use it all. */
export const SHUTDOWN_RESERVE_MS = 100;
