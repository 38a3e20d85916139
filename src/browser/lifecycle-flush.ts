import type { Client } from '../core/sdk/client';
import { debugLogger } from '../core/internal/debug-logger';
import { scheduleTimeout } from '../core/internal/runtime-globals';
import { setPageLeaving } from './page-leaving';
import { createPageTransport, keepPlainRequestsForNextLoad } from './page-transport';
import { pageState } from './page-state';
import { resendUnsent } from './unsent-storage';

/** Pending series past roughly this many encoded bytes are flushed at once (under the 64 KiB keepalive quota). */
export const EARLY_FLUSH_BYTES = 48_000;

/**
 * Flushes when the page is hidden or being left — `visibilitychange` → hidden, `pagehide` (which
 * also fires when the page enters the back/forward cache) — the last moments a page reliably
 * gets; and early, when pending series grow toward the keepalive quota, so that what is left at
 * hide time fits it (the early flush leaves in keepalive-sized requests; an interval flush or the
 * app's own flush() of a visible page sends one request, see `pageRequestBytes`). At `pagehide` the page is marked as leaving before the flush, so every
 * request goes out at once as a keepalive fetch or a beacon, and what does not fit (or a plain
 * fetch still in flight) is kept in storage and sent by the next page of the origin; a page
 * restored from the back/forward cache sends it at `pageshow`. No `unload` listener, which would
 * keep the page out of the back/forward cache (https://web.dev/articles/bfcache#never-use-the-unload-event).
 */
export function installLifecycleFlush(client: Client): void {
  if (typeof document === 'undefined' || typeof addEventListener !== 'function') return;
  let earlyFlushQueued = false;
  const onHidden = (): void => {
    if (document.visibilityState === 'hidden') void client.flush();
  };
  const onPageHide = (): void => {
    setPageLeaving(true);
    // The flush starts every request synchronously; plain fetches that were already in flight
    // are then kept for the next load, since the browser cancels them with the page.
    void client.flush();
    keepPlainRequestsForNextLoad();
  };
  const onPageShow = (event: Event): void => {
    setPageLeaving(false);
    if ((event as PageTransitionEvent).persisted) resendUnsent(createPageTransport(), client.drops);
  };
  try {
    document.addEventListener('visibilitychange', onHidden, true);
    addEventListener('pagehide', onPageHide, true);
    addEventListener('pageshow', onPageShow, true);
    client.aggregator.flushWhenPendingExceeds(EARLY_FLUSH_BYTES, () => {
      if (earlyFlushQueued) return;
      earlyFlushQueued = true;
      // In a task of its own, after the burst's (flushing inside a record call would split its
      // point): a flush() the app calls at the end of that task sends the burst as one request.
      scheduleTimeout(() => {
        earlyFlushQueued = false;
        // A flush that ran in between (the app's own, right after a burst) already took the interval.
        if (!client.aggregator.hasData()) return;
        // In keepalive-sized requests, though the page is visible: a burst may be the page's
        // last act before a navigation, and each of these outlives it.
        pageState.keepaliveSizedFlushes = (pageState.keepaliveSizedFlushes ?? 0) + 1;
        const done = (): void => {
          pageState.keepaliveSizedFlushes = (pageState.keepaliveSizedFlushes ?? 1) - 1;
        };
        client.flush().then(done, done);
      }, 0);
    });
    // What an earlier page of this origin could not send goes now, once.
    resendUnsent(createPageTransport(), client.drops);
    client.onClose(() => {
      document.removeEventListener('visibilitychange', onHidden, true);
      removeEventListener('pagehide', onPageHide, true);
      removeEventListener('pageshow', onPageShow, true);
    });
  } catch (error) {
    debugLogger.internalError('browser: installing page-hide flush', error);
  }
}
