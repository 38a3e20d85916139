import { trimOptionalWhitespace } from './optional-whitespace';
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
const MEMBER_PATTERN = /* @__PURE__ */ new RegExp(`^(${TOKEN_CHARS})[ \\t]*=[\\t\\x20-\\x2b\\x2d-\\x7e]*$`);
const TOKEN_PATTERN = /* @__PURE__ */ new RegExp(`^${TOKEN_CHARS}$`);
const PREFIX_LENGTH = SENTRY_BAGGAGE_KEY_PREFIX.length;

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
    const pieces = header.split(',');
    for (let index = 0; index < pieces.length; index++) {
      const member = trimOptionalWhitespace(pieces[index]);
      if (member === '') continue;
      const match = MEMBER_PATTERN.exec(member);
      if (!match) continue;
      const key = match[1];
      if (key.startsWith(SENTRY_BAGGAGE_KEY_PREFIX)) {
        const name = key.slice(PREFIX_LENGTH);
        // Assigning `__proto__` would replace the record's prototype instead of adding a key.
        if (name === '' || name === '__proto__') continue;
        const valueStart = member.indexOf('=') + 1;
        const propertiesStart = member.indexOf(';', valueStart);
        const raw = trimOptionalWhitespace(propertiesStart === -1 ? member.slice(valueStart) : member.slice(valueStart, propertiesStart));
        const decoded = decodeValue(raw);
        if (decoded !== undefined) result.sentry[name] = decoded;
      } else {
        result.foreign.push(member);
      }
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
        const match = MEMBER_PATTERN.exec(member);
        if (match && !match[1].startsWith(SENTRY_BAGGAGE_KEY_PREFIX)) append(member);
      }
    }
    return header;
  } catch {
    return '';
  }
}
