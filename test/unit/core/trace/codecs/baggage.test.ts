import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_INPUT_LENGTH, MAX_BAGGAGE_MEMBERS, SENTRY_BAGGAGE_KEY_PREFIX, formatBaggage, parseBaggage } from '../../../../../src/core/trace/codecs/baggage';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const EMPTY = { sentry: {}, foreign: [] };

/** UTF-8 byte length, to check the limit independently of the code under test. */
const byteLength = (text: string) => new TextEncoder().encode(text).length;
const memberCount = (header: string) => (header === '' ? 0 : header.split(',').length);

const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const tokenArb = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 12 });
const baggageOctetArb = fc
  .integer({ min: 0x21, max: 0x7e })
  .filter((code) => code !== 0x22 && code !== 0x2c && code !== 0x3b && code !== 0x5c)
  .map((code) => String.fromCharCode(code));
const foreignMemberArb = fc
  .tuple(
    tokenArb.filter((key) => !key.startsWith(SENTRY_BAGGAGE_KEY_PREFIX)),
    fc.string({ unit: baggageOctetArb, maxLength: 20 }),
    fc.array(fc.tuple(tokenArb, fc.option(fc.string({ unit: baggageOctetArb, maxLength: 8 }), { nil: undefined })), {
      maxLength: 2,
    }),
  )
  .map(([key, value, properties]) => `${key}=${value}${properties.map(([name, propertyValue]) => (propertyValue === undefined ? `;${name}` : `;${name}=${propertyValue}`)).join('')}`);
const sentryKeyArb = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_'), minLength: 1, maxLength: 16 });
const sentryValueArb = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ maxLength: 30 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());

describe('parseBaggage', () => {
  it('decodes sentry-* entries into sentry, without the prefix', () => {
    expect(parseBaggage(`sentry-trace_id=${TRACE_ID},sentry-sampled=true,sentry-sample_rand=0.4321,sentry-release=web%401.2.3`)).toEqual({
      sentry: { trace_id: TRACE_ID, sampled: 'true', sample_rand: '0.4321', release: 'web@1.2.3' },
      foreign: [],
    });
  });

  it('keeps every other member verbatim, properties included, in order', () => {
    const parsed = parseBaggage('key1=value1;property1;property2, sentry-environment=prod, key2 = value2, key3=value3; propertyKey=propertyValue');
    expect(parsed.foreign).toEqual(['key1=value1;property1;property2', 'key2 = value2', 'key3=value3; propertyKey=propertyValue']);
    expect(parsed.sentry).toEqual({ environment: 'prod' });
  });

  it('does not decode foreign values, so they pass through byte for byte', () => {
    expect(parseBaggage('userId=Am%C3%A9lie,serverNode=DF%2028').foreign).toEqual(['userId=Am%C3%A9lie', 'serverNode=DF%2028']);
  });

  it.each([
    ['a space', 'GET%20%2Fusers', 'GET /users'],
    ['a comma', 'a%2Cb', 'a,b'],
    ['an equals sign', 'a%3Db%3D', 'a=b='],
    ['a semicolon', 'a%3Bb', 'a;b'],
    ['a percent sign', '100%25', '100%'],
    ['a two-byte character', 'Am%C3%A9lie', 'Amélie'],
    ['a four-byte character', '%F0%9F%9A%80', '🚀'],
  ])('percent-decodes %s in a sentry value', (_case, encoded, decoded) => {
    expect(parseBaggage(`sentry-transaction=${encoded}`).sentry).toEqual({ transaction: decoded });
  });

  it('allows whitespace around "=" and around members', () => {
    expect(parseBaggage(' \tsentry-release = 1.0 \t,\tsentry-environment=prod ').sentry).toEqual({
      release: '1.0',
      environment: 'prod',
    });
  });

  it('ignores properties on a sentry member', () => {
    expect(parseBaggage('sentry-release=1.0;ttl=30').sentry).toEqual({ release: '1.0' });
  });

  it.each([
    ['a lone percent sign', 'sentry-transaction=100%'],
    ['a non-hex escape', 'sentry-transaction=%zz'],
    ['a truncated escape', 'sentry-transaction=%C'],
    ['an escape that is not UTF-8', 'sentry-transaction=%FF'],
    ['a cut multi-byte sequence', 'sentry-transaction=%C3'],
  ])('skips a sentry member with %s and keeps the rest', (_case, member) => {
    expect(parseBaggage(`sentry-release=1.0,${member},other=1`)).toEqual({
      sentry: { release: '1.0' },
      foreign: ['other=1'],
    });
  });

  it('combines repeated headers', () => {
    expect(parseBaggage(['sentry-release=1.0,a=1', 'b=2', '', 'sentry-environment=prod'])).toEqual({
      sentry: { release: '1.0', environment: 'prod' },
      foreign: ['a=1', 'b=2'],
    });
  });

  it('skips empty members', () => {
    expect(parseBaggage(',, a=1 ,\t,b=2,')).toEqual({ sentry: {}, foreign: ['a=1', 'b=2'] });
  });

  it('takes the last value of a repeated sentry key, as Sentry SDKs do', () => {
    expect(parseBaggage('sentry-release=1,sentry-release=2').sentry).toEqual({ release: '2' });
  });

  it.each([
    ['no "="', 'justakey'],
    ['an empty key', '=value'],
    ['a space inside the key', 'user id=1'],
    ['a control character', 'a=1\u0000'],
    ['a newline', 'a=1\r\nx-injected: 1'],
    ['a non-ASCII character', 'user=Amélie'],
    ['a bare "sentry-" key', 'sentry-=1'],
    ['a __proto__ key', 'sentry-__proto__=1'],
  ])('drops a malformed member with %s', (_case, member) => {
    expect(parseBaggage(`${member},ok=1`)).toEqual({ sentry: {}, foreign: ['ok=1'] });
  });

  it(`ignores baggage longer than ${MAX_BAGGAGE_INPUT_LENGTH} characters`, () => {
    expect(parseBaggage(`sentry-release=1,other=${'x'.repeat(MAX_BAGGAGE_INPUT_LENGTH)}`)).toEqual(EMPTY);
    expect(parseBaggage(['sentry-release=1', 'x'.repeat(MAX_BAGGAGE_INPUT_LENGTH)])).toEqual(EMPTY);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 1],
    ['an object', { 'sentry-release': '1' }],
  ])('returns an empty result for %s', (_case, value) => {
    expect(parseBaggage(value)).toEqual(EMPTY);
  });

  it('never throws, and its result formats to a header that parses back to it', () => {
    const memberLike = fc.oneof(
      { weight: 4, arbitrary: foreignMemberArb },
      {
        weight: 4,
        arbitrary: fc.tuple(sentryKeyArb, fc.string({ unit: 'grapheme', maxLength: 10 })).map(([key, value]) => ` sentry-${key} = ${encodeURIComponent(value)}`),
      },
      {
        weight: 2,
        arbitrary: fc.constantFrom('', ' ', 'sentry-a=%zz', 'sentry-b=%C3', 'sentry-c = 1 ;p', 'x', 'é=1', 'a=1\n', 'sentry-=1'),
      },
      { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'sentry-ab=;,% \t2C3é\n'), maxLength: 20 }) },
    );
    const nearValid = fc.array(memberLike, { maxLength: 80 }).map((parts) => parts.join(','));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), { arbitrary: nearValid, weight: 4 }, fc.array(nearValid, { maxLength: 3 }), fc.anything()), (value) => {
        const parsed = parseBaggage(value);
        const header = formatBaggage(parsed.sentry, parsed.foreign);
        // Whenever formatting dropped nothing, the header must read back as the same baggage.
        if (memberCount(header) === Object.keys(parsed.sentry).length + parsed.foreign.length) {
          expect(parseBaggage(header)).toEqual(parsed);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every member as the W3C grammar does (a reference written with the regex the spec gives)', () => {
    // key = token, OWS, "=", value of tab or printable ASCII without a comma (properties included).
    const member = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]*=[\t\x20-\x2b\x2d-\x7e]*$/;
    const reference = (header: string) => {
      const result: { sentry: Record<string, string>; foreign: string[] } = { sentry: {}, foreign: [] };
      for (const piece of header.split(',')) {
        const trimmed = piece.replace(/^[ \t]+|[ \t]+$/g, '');
        const match = member.exec(trimmed);
        if (!match) continue;
        if (!match[1].startsWith('sentry-')) {
          result.foreign.push(trimmed);
          continue;
        }
        const name = match[1].slice('sentry-'.length);
        if (name === '' || name === '__proto__') continue;
        const value = trimmed
          .slice(trimmed.indexOf('=') + 1)
          .split(';')[0]
          .replace(/^[ \t]+|[ \t]+$/g, '');
        try {
          result.sentry[name] = value.includes('%') ? decodeURIComponent(value) : value;
        } catch {
          // A bad escape skips the member.
        }
      }
      return result;
    };
    const unit = fc.constantFrom(...'sentry-_trace_id=;, \t%41%zzé\u0000\r"\\~|`^.+*&0'.split(''));
    const piece = fc.oneof(
      fc.string({ unit, maxLength: 16 }),
      fc
        .tuple(fc.constantFrom('sentry-', 'sentry-trace_id', 'sentry-sample_rand', 'sentry-__proto__', 'sentry-x', 'k', ''), fc.constantFrom('=', ' =', '\t= ', ''), fc.string({ unit, maxLength: 10 }))
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const header = pieces.join(',');
        expect(parseBaggage(header)).toEqual(reference(header));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('formatBaggage', () => {
  it('writes sentry entries first with the prefix, then foreign members verbatim', () => {
    expect(formatBaggage({ trace_id: TRACE_ID, sampled: true, sample_rate: 0.25 }, ['userId=alice;ttl=60', 'k = v'])).toBe(
      `sentry-trace_id=${TRACE_ID},sentry-sampled=true,sentry-sample_rate=0.25,userId=alice;ttl=60,k = v`,
    );
  });

  it.each([
    ['spaces', 'GET /a b', 'GET%20%2Fa%20b'],
    ['commas', 'a,b', 'a%2Cb'],
    ['equals signs', 'a=b', 'a%3Db'],
    ['semicolons', 'a;b', 'a%3Bb'],
    ['percent signs', '100%', '100%25'],
    ['unicode', 'Amélie 🚀', 'Am%C3%A9lie%20%F0%9F%9A%80'],
  ])('percent-encodes %s in sentry values as encodeURIComponent does', (_case, value, encoded) => {
    expect(formatBaggage({ transaction: value })).toBe(`sentry-transaction=${encoded}`);
    expect(encoded).toBe(encodeURIComponent(value));
  });

  it('skips undefined values and non-finite numbers', () => {
    expect(formatBaggage({ release: undefined, sample_rate: Number.NaN, sample_rand: Infinity, environment: 'prod' })).toBe('sentry-environment=prod');
  });

  it('skips values that cannot be encoded (lone surrogates) and keys that are not tokens', () => {
    expect(formatBaggage({ transaction: '\ud800', 'bad key': 'x', 'a,b': 'x', ok: '1' })).toBe('sentry-ok=1');
  });

  it('drops foreign members that are malformed or claim the sentry- prefix', () => {
    expect(formatBaggage({ release: '1' }, ['ok=1', 'sentry-release=evil', 'a=1,b=2', 'x=1\r\nInjected: 1', 'nokey', 'é=1', ' spaced=1 '])).toBe('sentry-release=1,ok=1,spaced=1');
  });

  it('returns an empty string when there is nothing to send', () => {
    expect(formatBaggage({})).toBe('');
    expect(formatBaggage({ release: undefined }, [])).toBe('');
    expect(formatBaggage(null as unknown as Record<string, string>, 'a=1' as unknown as string[])).toBe('');
  });

  it(`writes at most ${MAX_BAGGAGE_MEMBERS} members, keeping sentry entries before foreign ones`, () => {
    const sentry = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`key${index}`, String(index)]));
    const foreign = Array.from({ length: 100 }, (_, index) => `foreign${index}=${index}`);
    const parsed = parseBaggage(formatBaggage(sentry, foreign));
    expect(parsed.sentry).toEqual(sentry);
    expect(parsed.foreign).toEqual(foreign.slice(0, MAX_BAGGAGE_MEMBERS - 10));
  });

  it('writes no more than 64 sentry entries either', () => {
    const sentry = Object.fromEntries(Array.from({ length: 70 }, (_, index) => [`key${index}`, 'v']));
    expect(memberCount(formatBaggage(sentry, ['a=1']))).toBe(MAX_BAGGAGE_MEMBERS);
  });

  it(`keeps a header of exactly ${MAX_BAGGAGE_BYTES} bytes whole`, () => {
    const release = `sentry-release=1`;
    const filler = `f=${'x'.repeat(MAX_BAGGAGE_BYTES - release.length - 1 - 2)}`;
    const header = formatBaggage({ release: '1' }, [filler]);
    expect(byteLength(header)).toBe(MAX_BAGGAGE_BYTES);
    expect(parseBaggage(header).foreign).toEqual([filler]);
  });

  it(`drops whole foreign members that would pass ${MAX_BAGGAGE_BYTES} bytes, never cutting one`, () => {
    const big = Array.from({ length: 5 }, (_, index) => `big${index}=${'x'.repeat(3000)}`);
    const header = formatBaggage({ transaction: 'checkout', release: '1.0' }, [...big, 'small=1']);
    expect(byteLength(header)).toBeLessThanOrEqual(MAX_BAGGAGE_BYTES);
    const parsed = parseBaggage(header);
    expect(parsed.sentry).toEqual({ transaction: 'checkout', release: '1.0' });
    expect(parsed.foreign).toEqual([big[0], big[1], 'small=1']);
  });

  it('drops a sentry entry too large to fit at all, and keeps the others', () => {
    const header = formatBaggage({ transaction: 'é'.repeat(2000), release: '1.0' }, ['a=1']);
    expect(header).toBe('sentry-release=1.0,a=1');
  });

  it('counts percent-encoded bytes toward the limit', () => {
    // Each 'é' becomes 6 bytes (%C3%A9): 1300 of them are 7800 bytes, so a 500-byte foreign member no longer fits.
    const header = formatBaggage({ transaction: 'é'.repeat(1300) }, [`f=${'x'.repeat(498)}`, 'g=1']);
    expect(byteLength(header)).toBeLessThanOrEqual(MAX_BAGGAGE_BYTES);
    expect(parseBaggage(header).foreign).toEqual(['g=1']);
  });

  it('round-trips any sentry entries and foreign members that fit the limits', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          sentryKeyArb.filter((key) => key !== '__proto__'),
          sentryValueArb,
          { maxKeys: 12 },
        ),
        fc.array(foreignMemberArb, { maxLength: 20 }),
        (sentry, foreign) => {
          const header = formatBaggage(sentry, foreign);
          const expectedSentry = Object.fromEntries(Object.entries(sentry).map(([key, value]) => [key, String(value)]));
          expect(parseBaggage(header)).toEqual({ sentry: expectedSentry, foreign });
        },
      ),
    );
  });

  it('never exceeds the limits, writes only printable ASCII, and never cuts a member, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(sentryValueArb, fc.string({ unit: 'binary', maxLength: 600 }), fc.anything())),
        fc.array(fc.oneof(foreignMemberArb, fc.string({ maxLength: 800 }), fc.anything()), { maxLength: 90 }),
        (sentry, foreign) => {
          const header = formatBaggage(sentry as Record<string, string>, foreign as string[]);
          expect(byteLength(header)).toBeLessThanOrEqual(MAX_BAGGAGE_BYTES);
          expect(memberCount(header)).toBeLessThanOrEqual(MAX_BAGGAGE_MEMBERS);
          expect(header).toMatch(/^[\t\x20-\x7e]*$/);
          const inputs = new Set(foreign.filter((member): member is string => typeof member === 'string').map((member) => member.trim()));
          for (const member of parseBaggage(header).foreign) expect(inputs.has(member)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
