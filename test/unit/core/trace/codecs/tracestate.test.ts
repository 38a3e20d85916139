import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_TRACESTATE_LENGTH,
  MAX_TRACESTATE_MEMBERS,
  TRACESTATE_LARGE_ENTRY_LENGTH,
  type TraceState,
  formatTracestate,
  parseTracestate,
  setTracestateMember,
} from '../../../../../src/core/trace/codecs/tracestate';

const members = (count: number, prefix = 'bar') => Array.from({ length: count }, (_, index) => `${prefix}${String(index + 1).padStart(2, '0')}=${index + 1}`);

const KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
const keyCharArb = fc.constantFrom(...KEY_CHARS);
const lcalphaArb = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
const simpleKeyArb = fc.tuple(lcalphaArb, fc.string({ unit: keyCharArb, maxLength: 20 })).map(([first, rest]) => first + rest);
const multiTenantKeyArb = fc
  .tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), fc.string({ unit: keyCharArb, maxLength: 12 }), lcalphaArb, fc.string({ unit: keyCharArb, maxLength: 13 }))
  .map(([tenantFirst, tenantRest, systemFirst, systemRest]) => `${tenantFirst}${tenantRest}@${systemFirst}${systemRest}`);
const keyArb = fc.oneof(simpleKeyArb, multiTenantKeyArb);
const valueCharArb = fc
  .integer({ min: 0x20, max: 0x7e })
  .filter((code) => code !== 0x2c && code !== 0x3d)
  .map((code) => String.fromCharCode(code));
const valueArb = fc.string({ unit: valueCharArb, minLength: 1, maxLength: 40 }).filter((value) => !value.endsWith(' '));
const stateArb: fc.Arbitrary<TraceState> = fc.uniqueArray(fc.tuple(keyArb, valueArb), {
  selector: ([key]) => key,
  maxLength: MAX_TRACESTATE_MEMBERS,
});

describe('parseTracestate', () => {
  it('reads the spec example in order, left-most first', () => {
    expect(parseTracestate('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')).toEqual([
      ['rojo', '00f067aa0ba902b7'],
      ['congo', 't61rcWkgMzE'],
    ]);
  });

  it('ignores spaces and tabs around list-members', () => {
    expect(parseTracestate('foo=1 \t , \t bar=2, \t baz=3')).toEqual([
      ['foo', '1'],
      ['bar', '2'],
      ['baz', '3'],
    ]);
    expect(parseTracestate('\t foo=1 \t')).toEqual([['foo', '1']]);
  });

  it('keeps leading spaces of a value as part of the value', () => {
    expect(parseTracestate('foo=  1')).toEqual([['foo', '  1']]);
  });

  it('accepts an empty header as an empty state', () => {
    expect(parseTracestate('')).toEqual([]);
    expect(parseTracestate(' \t ')).toEqual([]);
  });

  it('skips empty and whitespace-only list-members', () => {
    expect(parseTracestate(',foo=1, ,,\t,bar=2,')).toEqual([
      ['foo', '1'],
      ['bar', '2'],
    ]);
  });

  it('combines repeated headers in order, including empty ones', () => {
    expect(parseTracestate(['foo=1,bar=2', 'rojo=1,congo=2', '', 'baz=3'])).toEqual([
      ['foo', '1'],
      ['bar', '2'],
      ['rojo', '1'],
      ['congo', '2'],
      ['baz', '3'],
    ]);
  });

  it('accepts every character the key and value grammars allow', () => {
    const simpleKey = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
    const multiTenantKey = `${simpleKey}@a-z0-9_-*/`;
    let value = '';
    for (let code = 0x20; code <= 0x7e; code++) if (code !== 0x2c && code !== 0x3d) value += String.fromCharCode(code);
    expect(parseTracestate(`${simpleKey}=${value}`)).toEqual([[simpleKey, value]]);
    expect(parseTracestate(`${multiTenantKey}=${value}`)).toEqual([[multiTenantKey, value]]);
  });

  it('accepts 32 list-members and drops a header with 33 whole', () => {
    expect(parseTracestate(members(32).join(','))).toHaveLength(32);
    expect(parseTracestate(members(33).join(','))).toBeUndefined();
    expect(parseTracestate([members(30).join(','), 'bar31=31,bar32=32,bar33=33'])).toBeUndefined();
  });

  it('does not count empty list-members toward the 32-member limit', () => {
    expect(parseTracestate(`${members(32).join(',')},,, ,`)).toHaveLength(32);
  });

  it.each([
    ['in one header', 'foo=1,foo=1', [['foo', '1']]],
    ['with different values', 'foo=1,foo=2', [['foo', '1']]],
    ['across repeated headers', ['foo=1', 'foo=2'], [['foo', '1']]],
    [
      'among other entries',
      'foo=1,bar=2,foo=3,baz=4',
      [
        ['foo', '1'],
        ['bar', '2'],
        ['baz', '4'],
      ],
    ],
  ])('drops a duplicated key alone and keeps the first (%s)', (_case, header, expected) => {
    expect(parseTracestate(header)).toEqual(expected);
  });

  it('does not count a dropped duplicate toward the 32-member limit', () => {
    expect(parseTracestate(`${members(32).join(',')},bar01=again`)).toHaveLength(32);
  });

  // W3C Trace Context Level 2 key: ( lcalpha / DIGIT ) 0*255( lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@" ).
  it.each([
    ['an at sign at the end', 'foo@'],
    ['two at signs in a row', 'foo@@bar'],
    ['two at signs', 'foo@bar@baz'],
    ['a key starting with a digit', '1vendor'],
    ['a system part starting with a digit', 'foo@1bar'],
    ['a 242-character tenant part', `${'t'.repeat(242)}@v`],
    ['a 15-character system part', `t@${'v'.repeat(15)}`],
    ['a 241-character tenant and 14-character system part', `${'t'.repeat(241)}@${'v'.repeat(14)}`],
    ['a 256-character key', 'z'.repeat(256)],
  ])('passes a key Level 2 allows through with the others (%s)', (_case, key) => {
    expect(parseTracestate(`${key}=1,bar=2`)).toEqual([
      [key, '1'],
      ['bar', '2'],
    ]);
    expect(parseTracestate(['foo=1', `${key}=1`])).toEqual([
      ['foo', '1'],
      [key, '1'],
    ]);
  });

  it.each([
    ['a space before "="', 'foo =1,bar=2'],
    ['an uppercase key', 'FOO=1,bar=2'],
    ['a dot in the key', 'foo.bar=1,bar=2'],
    ['a key starting with an at sign', '@foo=1,bar=2'],
    ['a 257-character key', `${'z'.repeat(257)}=1,bar=2`],
    ['a 257-character key in a later header', ['foo=1', `${'z'.repeat(257)}=1`]],
    ['an empty key', '=1,bar=2'],
    ['no "="', 'foo,bar=2'],
  ])('drops a header holding a member that does not parse whole (%s)', (_case, header) => {
    expect(parseTracestate(header)).toBeUndefined();
  });

  it.each([
    ['an "=" in the value', 'foo=bar=baz'],
    ['an empty value', 'foo=,bar=3'],
    ['a tab inside the value', 'foo=a\tb'],
    ['a newline in the value', 'foo=a\nb'],
    ['a non-ASCII value', 'foo=caf\u00e9'],
    ['a 257-character value', `foo=${'v'.repeat(257)}`],
  ])('drops a header whose value is invalid whole (%s)', (_case, header) => {
    expect(parseTracestate(header)).toBeUndefined();
  });

  it('accepts a 256-character value', () => {
    expect(parseTracestate(`foo=${'v'.repeat(256)}`)).toEqual([['foo', 'v'.repeat(256)]]);
  });

  it.each([
    ['undefined (no header)', undefined],
    ['null', null],
    ['a number', 7],
    ['an object', { foo: '1' }],
    ['an empty list', []],
    ['a list holding a non-string', ['foo=1', 2]],
  ])('returns undefined for %s', (_case, value) => {
    expect(parseTracestate(value)).toBeUndefined();
  });

  it('gives up on an absurdly long header', () => {
    expect(parseTracestate(`foo=1${','.repeat(100_000)}`)).toBeUndefined();
  });

  it('never throws, and what it accepts formats to a header that parses back to it', () => {
    const memberLike = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(keyArb, valueArb).map(([key, value]) => ` ${key}=${value}\t`) },
      { weight: 2, arbitrary: fc.constantFrom('', ' ', '\t', 'a=1', 'A=1', 'a =1', 'a=', '=1', 'a@=1', 'a=b=c', 'a=1\n') },
      { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'ab1@=- \t*/Z.'), maxLength: 12 }) },
    );
    const nearValid = fc.array(memberLike, { maxLength: 36 }).map((parts) => parts.join(','));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), { arbitrary: nearValid, weight: 4 }, fc.array(nearValid, { maxLength: 3 }), fc.anything()), (value) => {
        const state = parseTracestate(value);
        if (state === undefined) return;
        const header = formatTracestate(state);
        expect(header.length).toBeLessThanOrEqual(MAX_TRACESTATE_LENGTH);
        expect(parseTracestate(header)).toEqual(state);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('setTracestateMember', () => {
  it('adds a new key at the front', () => {
    const state = parseTracestate('congo=t61rcWkgMzE');
    expect(setTracestateMember(state, 'rojo', '00f067aa0ba902b7')).toEqual([
      ['rojo', '00f067aa0ba902b7'],
      ['congo', 't61rcWkgMzE'],
    ]);
  });

  it('moves an updated key to the front and keeps the others in order', () => {
    const state = parseTracestate('a=1,congo=old,b=2,c=3');
    expect(setTracestateMember(state, 'congo', 'new')).toEqual([
      ['congo', 'new'],
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
  });

  it('removes the right-most member when adding to a full list', () => {
    const state = parseTracestate(members(32).join(','));
    const next = setTracestateMember(state, 'isometer', 'x');
    expect(next).toHaveLength(32);
    expect(next[0]).toEqual(['isometer', 'x']);
    expect(next[31]).toEqual(['bar31', '31']);
    expect(next.some(([key]) => key === 'bar32')).toBe(false);
  });

  it('updates a key of a full list without dropping anything', () => {
    const state = parseTracestate(members(32).join(','));
    const next = setTracestateMember(state, 'bar32', 'x');
    expect(next).toHaveLength(32);
    expect(next[0]).toEqual(['bar32', 'x']);
    expect(next[31]).toEqual(['bar31', '31']);
  });

  it('starts a new state when there was none', () => {
    expect(setTracestateMember(undefined, 'isometer', 'x')).toEqual([['isometer', 'x']]);
  });

  it('does not modify the state it was given', () => {
    const state = parseTracestate('a=1,b=2') as TraceState;
    setTracestateMember(state, 'b', '3');
    expect(state).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it.each([
    ['an invalid key', 'Bad Key', 'x'],
    ['a value with a comma', 'isometer', 'a,b'],
    ['a value ending in a space', 'isometer', 'a '],
    ['an empty value', 'isometer', ''],
    ['a non-string value', 'isometer', 3 as unknown as string],
  ])('leaves the state unchanged for %s', (_case, key, value) => {
    const state = parseTracestate('a=1');
    expect(setTracestateMember(state, key, value)).toEqual([['a', '1']]);
  });

  it('always yields a state that formats to a header holding the new member first', () => {
    fc.assert(
      fc.property(stateArb, keyArb, valueArb, (state, key, value) => {
        const next = setTracestateMember(state, key, value);
        expect(next[0]).toEqual([key, value]);
        expect(next.length).toBeLessThanOrEqual(MAX_TRACESTATE_MEMBERS);
        expect(next.filter(([existing]) => existing === key)).toHaveLength(1);
        expect(parseTracestate(formatTracestate(next))?.[0]).toEqual([key, value]);
      }),
    );
  });
});

describe('formatTracestate', () => {
  it('joins members left-most first', () => {
    expect(
      formatTracestate([
        ['rojo', '00f067aa0ba902b7'],
        ['congo', 't61rcWkgMzE'],
      ]),
    ).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  it('returns an empty string for an empty or missing state', () => {
    expect(formatTracestate([])).toBe('');
    expect(formatTracestate(undefined)).toBe('');
    expect(formatTracestate('foo=1' as unknown as TraceState)).toBe('');
  });

  it('leaves out invalid and duplicate members of a hand-built state', () => {
    const state = [['ok', '1'], ['Bad', '2'], ['ok', '3'], ['inject', 'a\r\nx-evil: 1'], ['fine', '4'], 'not a member'] as unknown as TraceState;
    expect(formatTracestate(state)).toBe('ok=1,fine=4');
  });

  it('writes at most 32 members', () => {
    const state = Array.from({ length: 40 }, (_, index) => [`k${index}`, 'v'] as const);
    expect(parseTracestate(formatTracestate(state))).toHaveLength(32);
  });

  it('keeps a header of exactly 512 characters whole', () => {
    const state: TraceState = [
      ['a', 'x'.repeat(251)],
      ['b', 'y'.repeat(256)],
    ];
    const header = formatTracestate(state);
    expect(header).toHaveLength(MAX_TRACESTATE_LENGTH);
    expect(parseTracestate(header)).toEqual(state);
  });

  it('truncates a long header by removing entries over 128 characters first, right-most first', () => {
    const big = (key: string) => [key, 'x'.repeat(TRACESTATE_LARGE_ENTRY_LENGTH)] as const;
    const small = (key: string) => [key, 's'.repeat(60)] as const;
    // 3 big entries (≈130 chars each) and 4 small ones (≈63 chars): about 650 characters.
    const state: TraceState = [small('s1'), big('b1'), small('s2'), big('b2'), small('s3'), big('b3'), small('s4')];
    const kept = parseTracestate(formatTracestate(state))?.map(([key]) => key);
    expect(kept).toEqual(['s1', 'b1', 's2', 's3', 's4']);
  });

  it('then removes entries from the right when large ones were not enough', () => {
    const state: TraceState = Array.from({ length: 20 }, (_, index) => [`key${index}`, 'v'.repeat(40)] as const);
    const header = formatTracestate(state);
    expect(header.length).toBeLessThanOrEqual(MAX_TRACESTATE_LENGTH);
    const kept = parseTracestate(header)?.map(([key]) => key);
    expect(kept).toEqual(Array.from({ length: kept?.length ?? 0 }, (_, index) => `key${index}`));
    expect(kept?.length).toBe(11);
  });

  it('round-trips any valid state that fits in 512 characters, and truncates others to a prefix-preserving subset', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const header = formatTracestate(state);
        expect(header.length).toBeLessThanOrEqual(MAX_TRACESTATE_LENGTH);
        const parsed = parseTracestate(header) as TraceState;
        const fullLength = state.reduce((sum, [key, value]) => sum + key.length + value.length + 2, -1);
        if (fullLength <= MAX_TRACESTATE_LENGTH) {
          expect(parsed).toEqual(state);
        } else {
          // Whole entries only, in their original order.
          let cursor = 0;
          for (const member of parsed) {
            while (cursor < state.length && state[cursor][0] !== member[0]) cursor++;
            expect(state[cursor]).toEqual(member);
            cursor++;
          }
        }
      }),
    );
  });
});
