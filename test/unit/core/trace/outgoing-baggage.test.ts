import { describe, expect, it } from 'vitest';
import { OUTGOING_BAGGAGE_MAX_BYTES, OUTGOING_BAGGAGE_MAX_MEMBERS, mergeOutgoingBaggage } from '../../../../src/core/trace/outgoing-baggage';

const SENTRY = ['sentry-trace_id=4bf92f3577b34da6a3ce929d0e0e4736', 'sentry-sample_rand=0.25', 'sentry-sampled=true'];
const members = (count: number, prefix = 'app') => Array.from({ length: count }, (_, index) => `${prefix}${index}=v`);

describe('mergeOutgoingBaggage', () => {
  it("puts the app's members first, verbatim and in order, then isometer's, then the trace's others", () => {
    const merged = mergeOutgoingBaggage(' userId=alice;ttl=60 ,\tcart=3', SENTRY, ['tenant=acme']);
    expect(merged.value).toBe(['userId=alice;ttl=60', 'cart=3', ...SENTRY, 'tenant=acme'].join(','));
    expect(merged.added).toBe([...SENTRY, 'tenant=acme'].join(','));
  });

  it("sends isometer's members alone when the app set no baggage, and nothing when there is nothing", () => {
    expect(mergeOutgoingBaggage(undefined, SENTRY, [])).toEqual({ value: SENTRY.join(','), added: SENTRY.join(',') });
    expect(mergeOutgoingBaggage(undefined, [], [])).toEqual({ value: undefined, added: undefined });
    expect(mergeOutgoingBaggage('', [], [])).toEqual({ value: undefined, added: undefined });
  });

  it("keeps the app's sentry-* members and adds no second dynamic sampling context", () => {
    const merged = mergeOutgoingBaggage('sentry-release=app@1', SENTRY, ['tenant=acme']);
    expect(merged.value).toBe('sentry-release=app@1,tenant=acme');
  });

  it("does not repeat a key the app set, and never passes a sentry-* member of the trace's others", () => {
    expect(mergeOutgoingBaggage('tenant=mine', [], ['tenant=theirs', 'sentry-x=1', 'other=1']).value).toBe('tenant=mine,other=1');
  });

  it(`adds members only while the header stays within ${OUTGOING_BAGGAGE_MAX_MEMBERS} members`, () => {
    const merged = mergeOutgoingBaggage(members(OUTGOING_BAGGAGE_MAX_MEMBERS - 2).join(','), SENTRY, ['tenant=acme']);
    const sent = merged.value!.split(',');
    expect(sent).toHaveLength(OUTGOING_BAGGAGE_MAX_MEMBERS);
    expect(sent.slice(-2)).toEqual(SENTRY.slice(0, 2));
  });

  it(`adds members only while the header stays within ${OUTGOING_BAGGAGE_MAX_BYTES} bytes, counting UTF-8 bytes, never cutting one`, () => {
    // The app's member is 8,150 bytes: one 3-byte character and ASCII.
    const big = `big=\u20ac${'x'.repeat(8150 - 7)}`;
    const merged = mergeOutgoingBaggage(big, ['sentry-sample_rand=0.25', 'sentry-trace_id=4bf92f3577b34da6a3ce929d0e0e4736'], ['t=1']);
    expect(new TextEncoder().encode(merged.value!).length).toBeLessThanOrEqual(OUTGOING_BAGGAGE_MAX_BYTES);
    expect(merged.value).toBe(`${big},sentry-sample_rand=0.25,t=1`);
  });

  it("never drops or cuts the app's own members, even past the limits: only isometer's are left out", () => {
    const app = members(OUTGOING_BAGGAGE_MAX_MEMBERS + 20).join(',');
    expect(mergeOutgoingBaggage(app, SENTRY, ['tenant=acme'])).toEqual({ value: app, added: undefined });
    const huge = `huge=${'x'.repeat(10_000)}`;
    expect(mergeOutgoingBaggage(huge, SENTRY, []).value).toBe(huge);
  });
});
