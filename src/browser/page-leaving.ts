import { pageState } from './page-state';

/**
 * Whether the page is being left: set at `pagehide` and cleared at `pageshow` (a page restored
 * from the back/forward cache is alive again). At `pagehide` the page still reports itself
 * "visible", so `document.visibilityState` alone cannot tell a transport to use keepalive.
 */

/** Called by the page-hide flush at `pagehide` (true) and `pageshow` (false). */
export function setPageLeaving(value: boolean): void {
  pageState.leaving = value;
}

/** True between `pagehide` and the next `pageshow`. */
export function isPageLeaving(): boolean {
  return pageState.leaving;
}

/** True while the page is hidden (a tab switch, a minimised window) or being left. */
export function isPageHiddenOrLeaving(): boolean {
  if (pageState.leaving) return true;
  try {
    return typeof document !== 'undefined' && document.visibilityState === 'hidden';
  } catch {
    return false;
  }
}
