import { describe, it, expect } from 'vitest';
import { toUcumUnit } from '../../../../../src/core/export/otlp/to-ucum-unit';

describe('toUcumUnit', () => {
  it('maps Sentry unit names to UCUM codes and passes other units through', () => {
    expect(['millisecond', 'second', 'byte', 'kibibyte', 'percent', 'ratio', 'none', ''].map(toUcumUnit)).toEqual(['ms', 's', 'By', 'KiBy', '%', '1', '', '']);
    expect(toUcumUnit('req/s')).toBe('req/s');
    expect(toUcumUnit('constructor')).toBe('constructor');
  });
});
