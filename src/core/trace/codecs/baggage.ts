import { isOptionalWhitespace, trimOptionalWhitespace } from './optional-whitespace';
/** Keys of Sentry's dynamic sampling context in `baggage` start with this. */
export const SENTRY_BAGGAGE_KEY_PREFIX = 'sentry-';
/**
 * W3C Baggage "Limits" (https://www.w3.org/TR/baggage/#limits): all list-members MUST be
 * propagated while there are at most 64 of them and at most 8192 bytes; past that, whole
 * members MAY be dropped.
 */
export const MAX_BAGGAGE_MEMBERS = 64;
/** See {@link MAX_BAGGAGE_MEMBERS}. */
export const MAX_BAGGAGE_BYTES = 8192;
/** An incoming `baggage` longer than this (all values combined) is ignored whole, unparsed. */
export const MAX_BAGGAGE_INPUT_LENGTH = 4 * MAX_BAGGAGE_BYTES;

/** What {@link parseBaggage} found: Sentry's entries decoded, every other member as it came. */
export interface ParsedBaggage {
  /** `sentry-*` entries, percent-decoded, keyed without the `sentry-` prefix. */
  sentry: Record<string, string>;
  /** Every other list-member (with its properties), verbatim, in order, for pass-through. */
  foreign: string[];
}

// key = token (RFC 9110 §5.6.2); the member may carry OWS around "=", properties after ";".
// A foreign member is kept only if it is printable ASCII without a comma, so passing it through
// can never break the outgoing header (fetch and Node's http throw on CR, LF or NUL in a value).
const TOKEN_CHARS = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const TOKEN_PATTERN = /* @__PURE__ */ new RegExp(`^${TOKEN_CHARS}$`);
const PREFIX_LENGTH = SENTRY_BAGGAGE_KEY_PREFIX.length;

/**
 * Character classes of a member, by char code below 0x80 (anything above is malformed): a token
 * character (also a valid value character), or a value-only character (tab, space, and printable
 * ASCII outside the token set except the comma). Scanned by hand rather than with a regex: every
 * incoming request that carries baggage is parsed, and this allocates no match arrays.
 */
const TOKEN = 1;
const VALUE = 2;
const CHAR_CLASS = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128);
  for (let code = 0x20; code <= 0x7e; code++) if (code !== 0x2c) table[code] = VALUE;
  table[0x09] = VALUE;
  // The token characters of TOKEN_CHARS: the symbols, digits and letters.
  const tokens = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (let index = 0; index < tokens.length; index++) table[tokens.charCodeAt(index)] = TOKEN | VALUE;
  return table;
})();

/** The class of one char code: none for anything past ASCII. */
function charClass(code: number): number {
  return code < 0x80 ? CHAR_CLASS[code] : 0;
}

function combineHeaderValues(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  // W3C Baggage: several baggage headers form one baggage-string, and the limits apply to it.
  let combined = '';
  for (let index = 0; index < value.length; index++) {
    const part: unknown = value[index];
    if (typeof part !== 'string') continue;
    combined = combined === '' ? part : `${combined},${part}`;
    if (combined.length > MAX_BAGGAGE_INPUT_LENGTH) return undefined;
  }
  return combined;
}

/**
 * The keys of Sentry's dynamic sampling context
 * (https://develop.sentry.dev/sdk/telemetry/traces/dynamic-sampling-context/).
 */
const SENTRY_KEYS = ['trace_id', 'public_key', 'sample_rate', 'sample_rand', 'sampled', 'release', 'environment', 'transaction', 'org_id', 'replay_id', 'user_segment'];

/**
 * `header[start, end)` as a key: the constant for a known one, a slice for any other. Storing a
 * freshly sliced key in an object misses V8's inline cache and goes to the runtime every time,
 * and every incoming request that carries Sentry baggage stores a few.
 */
function sentryKey(header: string, start: number, end: number): string {
  const length = end - start;
  for (let index = 0; index < SENTRY_KEYS.length; index++) {
    const key = SENTRY_KEYS[index];
    if (key.length === length && matchesAt(header, key, start)) return key;
  }
  return header.slice(start, end);
}

/** `header.startsWith(text, start)`, which V8 does not inline: a loop is several times faster. */
function matchesAt(header: string, text: string, start: number): boolean {
  if (start + text.length > header.length) return false;
  for (let index = 0; index < text.length; index++) if (header.charCodeAt(start + index) !== text.charCodeAt(index)) return false;
  return true;
}

/** Where a token key ends in `header[start, end)`. */
function keyEnd(header: string, start: number, end: number): number {
  let index = start;
  while (index < end && (charClass(header.charCodeAt(index)) & TOKEN) !== 0) index++;
  return index;
}

/**
 * After a member's key (`header[keyStop, end)`): the index of its `=` when the rest is optional
 * whitespace, `=`, then tab or printable ASCII without a comma; else -1 (a malformed member).
 */
function valueEquals(header: string, keyStop: number, end: number): number {
  let index = keyStop;
  while (index < end && isOptionalWhitespace(header.charCodeAt(index))) index++;
  if (index === end || header.charCodeAt(index) !== 0x3d) return -1;
  const equals = index;
  for (index++; index < end; index++) if ((charClass(header.charCodeAt(index)) & VALUE) === 0) return -1;
  return equals;
}

/** Whether `member` (without whitespace around it) is `key=value` as {@link valueEquals} reads it. */
function wellFormedMember(member: string): boolean {
  const keyStop = keyEnd(member, 0, member.length);
  return keyStop > 0 && valueEquals(member, keyStop, member.length) !== -1;
}

function decodeValue(raw: string): string | undefined {
  if (raw.indexOf('%') === -1) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/**
 * Parses W3C `baggage` header values. `sentry-*` members are percent-decoded into `sentry`
 * (their properties ignored; a member whose value has a bad escape is skipped; for a repeated
 * key the last wins, as in Sentry's SDKs). Every other member is kept verbatim in `foreign`,
 * unless it is malformed (no `key=`, or characters outside printable ASCII), which is dropped.
 * Input longer than {@link MAX_BAGGAGE_INPUT_LENGTH} yields an empty result. Never throws.
 *
 * @example
 * parseBaggage('sentry-trace_id=4bf92f3577b34da6a3ce929d0e0e4736,sentry-release=web%401.0,userId=alice;ttl=60');
 * // { sentry: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', release: 'web@1.0' }, foreign: ['userId=alice;ttl=60'] }
 */
export function parseBaggage(value: unknown): ParsedBaggage {
  const result: ParsedBaggage = { sentry: {}, foreign: [] };
  try {
    const header = combineHeaderValues(value);
    if (header === undefined || header.length > MAX_BAGGAGE_INPUT_LENGTH) return result;
    let start = 0;
    while (start <= header.length) {
      let end = header.indexOf(',', start);
      if (end === -1) end = header.length;
      const next = end + 1;
      // The member without optional whitespace around it.
      while (start < end && isOptionalWhitespace(header.charCodeAt(start))) start++;
      while (end > start && isOptionalWhitespace(header.charCodeAt(end - 1))) end--;
      const keyStop = keyEnd(header, start, end);
      const equals = keyStop === start ? -1 : valueEquals(header, keyStop, end);
      if (equals !== -1) {
        if (matchesAt(header, SENTRY_BAGGAGE_KEY_PREFIX, start)) {
          const name = sentryKey(header, start + PREFIX_LENGTH, keyStop);
          // Assigning `__proto__` would replace the record's prototype instead of adding a key.
          if (name !== '' && name !== '__proto__') {
            const semicolon = header.indexOf(';', equals + 1);
            const decoded = decodeValue(trimOptionalWhitespace(header.slice(equals + 1, semicolon === -1 || semicolon > end ? end : semicolon)));
            if (decoded !== undefined) result.sentry[name] = decoded;
          }
        } else {
          result.foreign.push(header.slice(start, end));
        }
      }
      start = next;
    }
    return result;
  } catch {
    return { sentry: {}, foreign: [] };
  }
}

function encodeSentryMember(key: string, value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return undefined;
  if (key === '__proto__' || !TOKEN_PATTERN.test(key)) return undefined;
  try {
    return `${SENTRY_BAGGAGE_KEY_PREFIX}${key}=${encodeURIComponent(text)}`;
  } catch {
    // encodeURIComponent rejects lone surrogates; such a value cannot be sent.
    return undefined;
  }
}

/**
 * Formats a `baggage` header: Sentry's entries first (`sentry-` + key, value percent-encoded as
 * `encodeURIComponent` does; `undefined` and non-finite numbers skipped), then the foreign
 * members verbatim (malformed ones and any `sentry-*` among them left out). Whole members that
 * would take the header past 64 members or 8192 bytes are dropped, foreign ones before Sentry's;
 * a member is never cut. Returns `''` when there is nothing to send. Never throws.
 *
 * @example
 * formatBaggage({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', sample_rate: 0.25, transaction: 'GET /a b' }, ['userId=alice']);
 * // 'sentry-trace_id=4bf92f3577b34da6a3ce929d0e0e4736,sentry-sample_rate=0.25,sentry-transaction=GET%20%2Fa%20b,userId=alice'
 */
export function formatBaggage(sentry: Record<string, string | number | boolean | undefined>, foreign?: readonly string[]): string {
  try {
    let header = '';
    let memberCount = 0;
    // Every member written is ASCII (percent-encoded, or checked printable ASCII), so its
    // length in characters is its length in bytes.
    const append = (member: string): void => {
      const length = header.length + (memberCount === 0 ? 0 : 1) + member.length;
      if (memberCount >= MAX_BAGGAGE_MEMBERS || length > MAX_BAGGAGE_BYTES) return;
      header = memberCount === 0 ? member : `${header},${member}`;
      memberCount++;
    };
    if (sentry !== null && typeof sentry === 'object') {
      const keys = Object.keys(sentry);
      for (let index = 0; index < keys.length; index++) {
        const member = encodeSentryMember(keys[index], sentry[keys[index]]);
        if (member !== undefined) append(member);
      }
    }
    if (Array.isArray(foreign)) {
      for (let index = 0; index < foreign.length; index++) {
        const raw: unknown = foreign[index];
        if (typeof raw !== 'string') continue;
        const member = trimOptionalWhitespace(raw);
        if (wellFormedMember(member) && !matchesAt(member, SENTRY_BAGGAGE_KEY_PREFIX, 0)) append(member);
      }
    }
    return header;
  } catch {
    return '';
  }
}
