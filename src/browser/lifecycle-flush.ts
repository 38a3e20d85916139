import type { Client } from '../core/sdk/client';
import { debugLogger } from '../core/internal/debug-logger';

/**
 * Flushes when the page is hidden or being left (`visibilitychange` → hidden, `pagehide`): the
 * last moments a page reliably gets. No `unload` listener, which would keep the page out of
 * the back/forward cache (https://web.dev/articles/bfcache#never-use-the-unload-event).
 */
export function installLifecycleFlush(client: Client): void {
  if (typeof document === 'undefined' || typeof addEventListener !== 'function') return;
  const onHidden = (): void => {
    if (document.visibilityState === 'hidden') void client.flush();
  };
  const onPageHide = (): void => void client.flush();
  try {
    document.addEventListener('visibilitychange', onHidden, true);
    addEventListener('pagehide', onPageHide, true);
    client.onClose(() => {
      document.removeEventListener('visibilitychange', onHidden, true);
      removeEventListener('pagehide', onPageHide, true);
    });
  } catch (error) {
    debugLogger.internalError('browser: installing page-hide flush', error);
  }
}
