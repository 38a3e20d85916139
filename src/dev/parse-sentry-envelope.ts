/**
 * Sentry's envelope format (https://develop.sentry.dev/sdk/data-model/envelopes/): a JSON header
 * line, then items, each a JSON header line and a payload of `length` bytes (or, without
 * `length`, up to the next newline). Throws a `SyntaxError` on a truncated or malformed one.
 */

/** One item: its header (`type`, `length`, `content_type`, …) and its payload bytes. */
export interface SentryEnvelopeItem {
  header: Record<string, unknown>;
  payload: Uint8Array;
}

/**
 * @example
 * const { header, items } = parseSentryEnvelope(body);
 * items.filter((item) => item.header.type === 'transaction');
 */
export function parseSentryEnvelope(bytes: Uint8Array): { header: Record<string, unknown>; items: SentryEnvelopeItem[] } {
  let position = 0;
  const line = (): Uint8Array => {
    const end = bytes.indexOf(0x0a, position);
    const stop = end === -1 ? bytes.length : end;
    const text = bytes.subarray(position, stop);
    position = end === -1 ? bytes.length : end + 1;
    return text;
  };
  const header = jsonObject(line(), 'envelope header');
  const items: SentryEnvelopeItem[] = [];
  while (position < bytes.length) {
    const headerLine = line();
    // Trailing newlines after the last item are allowed.
    if (headerLine.length === 0 || (headerLine.length === 1 && headerLine[0] === 0x0d)) continue;
    const itemHeader = jsonObject(headerLine, 'item header');
    let payload: Uint8Array;
    if (itemHeader.length !== undefined) {
      const length = Number(itemHeader.length);
      if (!Number.isInteger(length) || length < 0 || position + length > bytes.length) throw new SyntaxError(`envelope item of ${String(itemHeader.length)} bytes runs past the end of the envelope`);
      payload = bytes.subarray(position, position + length);
      position += length;
      if (bytes[position] === 0x0a) position++;
    } else {
      payload = line();
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items };
}

/**
 * A payload as a JSON object.
 *
 * @example
 * const event = jsonObject(item.payload, 'transaction');
 */
export function jsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new SyntaxError(`the ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError(`the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}
