import { describe, it, expect } from 'vitest';
import { SPAN_KIND, spanKindFromOp } from '../../../../../src/core/export/otlp/span-kind';

describe('spanKindFromOp', () => {
  it('maps server, client, producer and consumer ops, and everything else to INTERNAL', () => {
    expect(spanKindFromOp('http.server')).toBe(SPAN_KIND.SERVER);
    expect(spanKindFromOp('http.client')).toBe(SPAN_KIND.CLIENT);
    expect(spanKindFromOp('db.query')).toBe(SPAN_KIND.CLIENT);
    expect(spanKindFromOp('cache.get')).toBe(SPAN_KIND.CLIENT);
    expect(spanKindFromOp('queue.publish')).toBe(SPAN_KIND.PRODUCER);
    expect(spanKindFromOp('queue.process')).toBe(SPAN_KIND.CONSUMER);
    expect(spanKindFromOp('ui.render')).toBe(SPAN_KIND.INTERNAL);
    expect(spanKindFromOp(undefined)).toBe(SPAN_KIND.INTERNAL);
  });
});
