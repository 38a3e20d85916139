import type { TraceState } from '../../internal/propagation-context';
export type { TraceState };

/** W3C Trace Context, tracestate field values: "a maximum of 32 list-members in a list". */
export const MAX_TRACESTATE_MEMBERS = 32;
/**
 * W3C Trace Context "tracestate Limits" (https://www.w3.org/TR/trace-context/#tracestate-limits):
 * vendors SHOULD propagate at least 512 characters; a longer header is truncated to it.
 */
export const MAX_TRACESTATE_LENGTH = 512;
/** "tracestate Limits": when truncating, entries longer than this are removed first. */
export const TRACESTATE_LARGE_ENTRY_LENGTH = 128;

// 32 members of (256-char key "=" 256-char value) plus commas is about 16.4K characters; past
// 20K no valid header is possible without absurd padding, so the work stops there.
const MAX_INPUT_LENGTH = 20480;

// W3C Trace Context Level 2 key grammar (https://www.w3.org/TR/trace-context-2/#key):
//   key     = ( lcalpha / DIGIT ) 0*255( keychar )
//   keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"
// Level 1's stricter tenant@system split is gone: `foo@`, `1vendor` and a 242-character tenant
// part are all valid keys now, and must pass through.
const KEY_SOURCE = '[a-z0-9][a-z0-9_\\-*/@]{0,255}';
// https://www.w3.org/TR/trace-context/#value: 1 to 256 printable ASCII characters except "," and
// "=", the last not a space.
const VALUE_SOURCE = '[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]';
// A list-member between commas, with the optional whitespace (space, tab) around it.
const MEMBER_PATTERN = /* @__PURE__ */ new RegExp(`^[ \\t]*(${KEY_SOURCE})=(${VALUE_SOURCE})[ \\t]*$`);
const EMPTY_MEMBER_PATTERN = /^[ \t]*$/;
const KEY_PATTERN = /* @__PURE__ */ new RegExp(`^${KEY_SOURCE}$`);
const VALUE_PATTERN = /* @__PURE__ */ new RegExp(`^${VALUE_SOURCE}$`);

function combineHeaderValues(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  // Several tracestate fields are combined into one, in order, as RFC 9110 §5.3 says
  // (https://www.w3.org/TR/trace-context/#tracestate-header-field-values).
  let combined = '';
  for (let index = 0; index < value.length; index++) {
    const part: unknown = value[index];
    if (typeof part !== 'string') return undefined;
    combined = index === 0 ? part : `${combined},${part}`;
    if (combined.length > MAX_INPUT_LENGTH) return undefined;
  }
  return combined;
}

/**
 * Parses a W3C `tracestate` header (a string, or the list of values of a repeated header) entry
 * by entry, by the Level 2 grammar. A duplicated key is dropped alone (the first one stays, as the
 * spec allows vendors to discard duplicated keys they did not write), and the valid entries keep their
 * order. A list-member that does not parse at all, or more than 32 list-members, makes the header
 * unparseable: it is dropped whole ("If the tracestate header cannot be parsed the vendor MAY
 * discard the entire header", https://www.w3.org/TR/trace-context-2/#a-traceparent-is-received),
 * which is what the W3C Level 2 test suite expects. Empty list-members are skipped, so an empty
 * header is an empty state. Never throws.
 *
 * @example
 * parseTracestate('rojo=00f067aa0ba902b7, congo=t61rcWkgMzE');
 * // [['rojo', '00f067aa0ba902b7'], ['congo', 't61rcWkgMzE']]
 * parseTracestate('foo=1,bar=2,foo=3'); // [['foo', '1'], ['bar', '2']]
 * parseTracestate('@foo=1,bar=2'); // undefined
 */
export function parseTracestate(value: unknown): TraceState | undefined {
  try {
    const header = combineHeaderValues(value);
    if (header === undefined || header.length > MAX_INPUT_LENGTH) return undefined;
    const members: Array<readonly [string, string]> = [];
    const pieces = header.split(',');
    for (let index = 0; index < pieces.length; index++) {
      const piece = pieces[index];
      const match = MEMBER_PATTERN.exec(piece);
      if (!match) {
        // "Empty and whitespace-only list members are allowed" (tracestate field values).
        if (EMPTY_MEMBER_PATTERN.test(piece)) continue;
        return undefined;
      }
      const key = match[1];
      if (indexOfKey(members, key) !== -1) continue;
      if (members.length === MAX_TRACESTATE_MEMBERS) return undefined;
      members.push([key, match[2]]);
    }
    return members;
  } catch {
    return undefined;
  }
}

function indexOfKey(state: TraceState, key: string): number {
  for (let index = 0; index < state.length; index++) if (state[index][0] === key) return index;
  return -1;
}

function isValidMember(member: unknown): member is readonly [string, string] {
  if (!Array.isArray(member)) return false;
  const key: unknown = member[0];
  const value: unknown = member[1];
  return typeof key === 'string' && typeof value === 'string' && KEY_PATTERN.test(key) && VALUE_PATTERN.test(value);
}

/**
 * Returns a new state with `key` set to `value` and moved to the front (left), as a vendor
 * updating its own entry must do (https://www.w3.org/TR/trace-context/#mutating-the-tracestate-field).
 * When the list is full, the right-most
 * member is removed to make room. An invalid key or value leaves the state unchanged; a missing
 * state starts an empty one. Never throws.
 *
 * @example
 * setTracestateMember(parseTracestate('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7'), 'rojo', 'b9c7c989f97918e1');
 * // [['rojo', 'b9c7c989f97918e1'], ['congo', 't61rcWkgMzE']]
 */
export function setTracestateMember(state: TraceState | undefined, key: string, value: string): TraceState {
  try {
    const current: TraceState = Array.isArray(state) ? state : [];
    if (!isValidMember([key, value])) return current;
    const next: Array<readonly [string, string]> = [[key, value]];
    for (let index = 0; index < current.length && next.length < MAX_TRACESTATE_MEMBERS; index++) {
      const member = current[index];
      if (!Array.isArray(member) || member[0] !== key) next.push(member);
    }
    return next;
  } catch {
    return Array.isArray(state) ? state : [];
  }
}

/**
 * Formats a `tracestate` header, left-most member first; invalid or duplicate members are
 * left out. When the result would exceed 512 characters it is truncated by whole entries as
 * W3C Trace Context "tracestate Limits" asks: entries longer than 128 characters go first, then entries
 * from the right. Returns `''` for an empty state (callers should then send no header).
 *
 * @example
 * formatTracestate([['rojo', '00f067aa0ba902b7'], ['congo', 't61rcWkgMzE']]);
 * // 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'
 */
export function formatTracestate(state: TraceState | undefined): string {
  try {
    if (!Array.isArray(state)) return '';
    const entries: string[] = [];
    const seenKeys: string[] = [];
    let length = -1;
    for (let index = 0; index < state.length && entries.length < MAX_TRACESTATE_MEMBERS; index++) {
      const member: unknown = state[index];
      if (!isValidMember(member) || seenKeys.indexOf(member[0]) !== -1) continue;
      seenKeys.push(member[0]);
      const entry = `${member[0]}=${member[1]}`;
      entries.push(entry);
      length += entry.length + 1;
    }
    if (length > MAX_TRACESTATE_LENGTH) length = truncateEntries(entries, length);
    return entries.join(',');
  } catch {
    return '';
  }
}

/** Removes whole entries in place until the joined length fits; returns the new length. */
function truncateEntries(entries: string[], joinedLength: number): number {
  let length = joinedLength;
  for (let index = entries.length - 1; index >= 0 && length > MAX_TRACESTATE_LENGTH; index--) {
    if (entries[index].length > TRACESTATE_LARGE_ENTRY_LENGTH) {
      length -= entries[index].length + 1;
      entries.splice(index, 1);
    }
  }
  while (length > MAX_TRACESTATE_LENGTH && entries.length > 0) {
    length -= (entries.pop() as string).length + 1;
  }
  return length;
}
