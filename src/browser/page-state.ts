import type { Span } from '../core/trace/span';

/**
 * Page-wide delivery state, on `globalThis` beside the carrier: the page's front and its engine
 * are separate bundles (the engine and web vitals load in files of their own, see browser/init.ts),
 * and a transport the app made from one must see what the other's page-hide flush and transports
 * do — one keepalive quota per page, one "leaving" flag, one set of plain requests to keep at
 * `pagehide`, one page-load span.
 */
export interface PageState {
  /** The page-load span, once browser tracing started it (web vitals, in a file of their own, read it). */
  pageLoadSpan?: Span;
  /** True between `pagehide` and the next `pageshow`. */
  leaving: boolean;
  /** Keepalive bytes in flight from every transport of the page: the browser's quota is per page. */
  keepaliveBytesInFlight: number;
  /** Plain (not keepalive) fetches in flight: each keeps itself for the next load when called. */
  plainInFlight: Set<{ keep(): void }>;
  /** Sends waiting for keepalive budget, each with its body's size. */
  budgetWaiters: Map<() => void, number>;
  /**
   * Flushes under way that must leave in keepalive-sized requests although the page is visible
   * (the early flush); optional, since an older copy of isometer may have made this object.
   */
  keepaliveSizedFlushes?: number;
}

const PAGE_STATE_KEY = '__ISOMETER_PAGE__';

/** The page's delivery state, created by whichever copy of isometer asks first. */
export const pageState: PageState = ((globalThis as unknown as Record<string, PageState | undefined>)[PAGE_STATE_KEY] ??= {
  leaving: false,
  keepaliveBytesInFlight: 0,
  plainInFlight: new Set(),
  budgetWaiters: new Map(),
  keepaliveSizedFlushes: 0,
});
