import type { HttpRequest, HttpTransport } from '../core/export/http/http-transport';
import { createHttpDelivery, type HttpDelivery } from '../core/export/http/http-delivery';
import type { DropRecorder } from '../core/internal/drop-counter';
import { debugLogger } from '../core/internal/debug-logger';
import { pageStorage } from './page-storage';

/**
 * Requests a page could not send before it went away (past the 64 KB keepalive quota), kept in
 * the origin's `localStorage` (else `sessionStorage`) and sent once by the next page of the same
 * origin that starts isometer. Each carries an idempotency key, sent as the `Idempotency-Key`
 * header (draft-ietf-httpapi-idempotency-key-header) so a collector can tell a resend and drop a
 * duplicate (a request the browser did finish after all).
 */

/** Each kept request is its own storage item, `isometer:unsent:<idempotency key>`: writes from a page being left and reads from the next one never overwrite each other. */
export const UNSENT_KEY_PREFIX = 'isometer:unsent:';
/** Characters of kept requests at most, all together: the origin's storage is shared with the app. */
export const MAX_UNSENT_CHARS = 512 * 1024;
/** A stored request older than this is not sent any more. */
export const MAX_UNSENT_AGE_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_HEADER = 'idempotency-key';

interface StoredRequest {
  key: string;
  /** Data points the body carries, when known: what a drop of it counts. */
  items?: number;
  url: string;
  /** The body; a binary one (OTLP protobuf) as base64. */
  body: string;
  base64?: boolean;
  headers: Record<string, string>;
  storedAt: number;
}

/** Keeps `request` for the next load; false when there is no storage or no room (the request is then lost). */
export function storeUnsent(request: HttpRequest & { items?: number }): boolean {
  try {
    const storage = pageStorage();
    if (!storage) return false;
    const binary = typeof request.body !== 'string';
    const body = typeof request.body === 'string' ? request.body : toBase64(request.body);
    const key = request.headers[IDEMPOTENCY_HEADER] ?? newKey();
    const headers = { ...request.headers };
    delete headers[IDEMPOTENCY_HEADER];
    const text = JSON.stringify({ key, items: request.items, url: request.url, body, ...(binary ? { base64: true } : {}), headers, storedAt: Date.now() } satisfies StoredRequest);
    if (storedChars(storage) + text.length > MAX_UNSENT_CHARS) {
      debugLogger.warnOnce('unsent:full', `a request the page could not send before it went away did not fit the ${MAX_UNSENT_CHARS} characters kept for the next load; it was lost.`);
      return false;
    }
    storage.setItem(UNSENT_KEY_PREFIX + key, text);
    return true;
  } catch {
    return false;
  }
}

/** How long after start a page still picks up requests the page it replaced is writing (see `resendUnsent`). */
export const LATE_WRITES_WINDOW_MS = 10_000;

/**
 * Sends what earlier pages of this origin kept, each request once: its item is removed before
 * it is queued on a delivery of its own (retries, backoff, drops counted into `drops`); if this
 * page is left too before it goes, the page transport keeps it again under the same key. The page just left may write from another renderer process, whose writes reach this
 * one a moment later: for a short while after start, such writes (`storage` events) are sent too.
 */
export function resendUnsent(transport: HttpTransport, drops?: DropRecorder): void {
  try {
    const storage = pageStorage();
    if (!storage) return;
    const delivery = createHttpDelivery({ transport, drops, name: 'resend' });
    for (const name of unsentKeys(storage)) resendOne(storage, name, delivery);
    if (typeof addEventListener !== 'function') return;
    const onStorage = (event: StorageEvent): void => {
      if (typeof event.key === 'string' && event.key.startsWith(UNSENT_KEY_PREFIX) && event.newValue !== null) resendOne(storage, event.key, delivery);
    };
    addEventListener('storage', onStorage);
    setTimeout(() => removeEventListener('storage', onStorage), LATE_WRITES_WINDOW_MS);
  } catch (error) {
    debugLogger.internalError('sending what the last page kept', error);
  }
}

function resendOne(storage: Storage, name: string, delivery: HttpDelivery): void {
  const entry = parse(storage.getItem(name));
  storage.removeItem(name);
  if (!entry || !(entry.storedAt >= Date.now() - MAX_UNSENT_AGE_MS)) return;
  delivery.enqueue({ url: entry.url, body: entry.base64 === true ? fromBase64(entry.body) : entry.body, headers: { ...entry.headers, [IDEMPOTENCY_HEADER]: entry.key }, items: entry.items });
}

function unsentKeys(storage: Storage): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const name = storage.key(i);
    if (name !== null && name.startsWith(UNSENT_KEY_PREFIX)) keys.push(name);
  }
  return keys;
}

function storedChars(storage: Storage): number {
  let chars = 0;
  for (const name of unsentKeys(storage)) chars += storage.getItem(name)?.length ?? 0;
  return chars;
}

function parse(text: string | null): StoredRequest | undefined {
  try {
    const entry = JSON.parse(text ?? 'null') as StoredRequest | null;
    return entry && typeof entry.url === 'string' && typeof entry.body === 'string' && typeof entry.key === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

function newKey(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  let key = '';
  for (let i = 0; i < 4; i++)
    key += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return key;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  const decoded = atob(text);
  const bytes = new Uint8Array(decoded.length);
  for (let i = 0; i < decoded.length; i++) bytes[i] = decoded.charCodeAt(i);
  return bytes;
}
