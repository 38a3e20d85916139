import { describe, it, expect } from 'vitest';
import { utf8ByteLength } from '../../../../src/core/internal/utf8-byte-length';

describe('utf8ByteLength', () => {
  it('matches the UTF-8 encoder on ASCII, 2-, 3- and 4-byte characters and lone surrogates', () => {
    for (const text of ['', 'plain ascii', 'héllo wörld', '€ and 中文', 'emoji 😀 and 𝄞', 'lone \ud800 high', 'lone \udc00 low', 'end \ud83d']) {
      expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });
});
