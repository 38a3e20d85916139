/** HTTP optional whitespace (RFC 9110 §5.6.3): space and horizontal tab. */
export function isOptionalWhitespace(charCode: number): boolean {
  return charCode === 0x20 || charCode === 0x09;
}

/**
 * Strips HTTP optional whitespace from both ends (RFC 9110 §5.6.3), returning the same string
 * when there is none.
 *
 * @example
 * trimOptionalWhitespace('\t00-4bf9…-01 '); // → '00-4bf9…-01'
 */
export function trimOptionalWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isOptionalWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isOptionalWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}
