const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The number of bytes `text` takes as UTF-8, without `TextEncoder` (absent from the core's
 * `lib: es2020`) and without building the bytes. A lone surrogate counts 3 bytes: encoders
 * replace it with U+FFFD.
 *
 * @example
 * utf8ByteLength('héllo'); // → 6
 */
export function utf8ByteLength(text: string): number {
  // The ASCII prefix (all of most JSON) in one native scan: a character loop over a 200 KB body
  // costs milliseconds of main thread in a page.
  const first = text.search(NON_ASCII);
  if (first === -1) return text.length;
  let bytes = first;
  for (let index = first; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index++;
      } else {
        bytes += 3;
      }
    } else bytes += 3;
  }
  return bytes;
}
