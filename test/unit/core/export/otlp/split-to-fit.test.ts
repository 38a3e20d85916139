import { describe, it, expect } from 'vitest';
import { splitToFit } from '../../../../../src/core/export/otlp/split-to-fit';

describe('splitToFit', () => {
  const encode = (items: string[]) => JSON.stringify(items);

  it('keeps a batch that fits in one body', () => {
    expect(splitToFit(['a', 'b'], encode, 100)).toEqual([{ body: '["a","b"]', items: 2 }]);
  });

  it('halves until every body fits, keeping every item once and in order', () => {
    const items = Array.from({ length: 37 }, (_, index) => `item-${index}`);
    const chunks = splitToFit(items, encode, 60);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(Buffer.byteLength(chunk.body)).toBeLessThanOrEqual(60);
    expect(chunks.flatMap((chunk) => JSON.parse(chunk.body))).toEqual(items);
    expect(chunks.reduce((total, chunk) => total + chunk.items, 0)).toBe(37);
  });

  it('sends a single item bigger than the limit on its own rather than dropping it', () => {
    expect(splitToFit(['x'.repeat(50)], encode, 10)).toEqual([{ body: `["${'x'.repeat(50)}"]`, items: 1 }]);
  });
});
