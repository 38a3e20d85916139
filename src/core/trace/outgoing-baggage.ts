import { utf8ByteLength } from '../internal/utf8-byte-length';
import { trimOptionalWhitespace } from './codecs/optional-whitespace';
import { SENTRY_BAGGAGE_KEY_PREFIX } from './codecs/baggage';

/**
 * W3C Baggage "Limits" (https://www.w3.org/TR/baggage/#limits): a baggage-string of at most 180
 * list-members and 8192 bytes must be propagated whole. isometer keeps what it sends within both.
 */
export const OUTGOING_BAGGAGE_MAX_MEMBERS = 180;
/** See {@link OUTGOING_BAGGAGE_MAX_MEMBERS}. */
export const OUTGOING_BAGGAGE_MAX_BYTES = 8192;

/** The merged header, and what was added to the app's own (for hosts that can only append, like XHR). */
export interface MergedBaggage {
  /** The whole `baggage` value to send; undefined when there is nothing to send. */
  value: string | undefined;
  /** The members added after the app's own, comma-joined; undefined when none were. */
  added: string | undefined;
}

function memberKey(member: string): string {
  const end = member.search(/[ \t=;]/);
  return end === -1 ? member : member.slice(0, end);
}

function splitMembers(header: string | undefined): string[] {
  if (header === undefined) return [];
  const members: string[] = [];
  for (const piece of header.split(',')) {
    const member = trimOptionalWhitespace(piece);
    if (member !== '') members.push(member);
  }
  return members;
}

/**
 * The `baggage` an outgoing request carries: the app's own members first, all of them, verbatim
 * and in order (never dropped, even when they alone pass the limits), then isometer's `sentry-*`
 * entries (only when the app set none: one dynamic sampling context per request), then the
 * trace's other members whose keys the app did not set. Each of isometer's members is added only
 * while the header stays within 180 members and 8192 bytes; it is never cut.
 *
 * @example
 * mergeOutgoingBaggage('userId=alice', ['sentry-trace_id=4bf92f3577b34da6a3ce929d0e0e4736'], ['tenant=acme']);
 * // { value: 'userId=alice,sentry-trace_id=4bf92f3577b34da6a3ce929d0e0e4736,tenant=acme', added: 'sentry-trace_id=…,tenant=acme' }
 */
export function mergeOutgoingBaggage(appHeader: string | undefined, sentryMembers: readonly string[], traceMembers: readonly string[]): MergedBaggage {
  const app = splitMembers(appHeader);
  const appKeys = new Set<string>();
  let appHasSentry = false;
  for (const member of app) {
    const key = memberKey(member);
    appKeys.add(key);
    if (key.startsWith(SENTRY_BAGGAGE_KEY_PREFIX)) appHasSentry = true;
  }
  let count = app.length;
  let bytes = app.length === 0 ? 0 : utf8ByteLength(app.join(','));
  const added: string[] = [];
  const add = (member: string): void => {
    const key = memberKey(member);
    if (appKeys.has(key)) return;
    const size = utf8ByteLength(member) + (count === 0 ? 0 : 1);
    if (count + 1 > OUTGOING_BAGGAGE_MAX_MEMBERS || bytes + size > OUTGOING_BAGGAGE_MAX_BYTES) return;
    appKeys.add(key);
    added.push(member);
    count++;
    bytes += size;
  };
  if (!appHasSentry) for (const member of sentryMembers) add(member);
  for (const member of traceMembers) if (!memberKey(member).startsWith(SENTRY_BAGGAGE_KEY_PREFIX)) add(member);
  const all = app.concat(added);
  return { value: all.length === 0 ? undefined : all.join(','), added: added.length === 0 ? undefined : added.join(',') };
}
