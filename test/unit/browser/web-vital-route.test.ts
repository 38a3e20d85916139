import { describe, expect, it } from 'vitest';
import { templateRoute } from '../../../src/browser/web-vital-route';

describe('templateRoute', () => {
  it('turns numeric, UUID-like and long hex segments into :id', () => {
    expect(templateRoute('/orders/8412/items/3f2c9a1be47d00aa')).toBe('/orders/:id/items/:id');
    expect(templateRoute('/users/0b7c6f4e-8d3a-4f1b-9c2e-5a6d7e8f9a0b/settings')).toBe('/users/:id/settings');
    expect(templateRoute('/commit/5f3e9c1d2a4b6c8d0e1f2a3b4c5d6e7f8a9b0c1d')).toBe('/commit/:id');
  });

  it('keeps words, short hex-looking words and the trailing slash', () => {
    expect(templateRoute('/bundled/')).toBe('/bundled/');
    expect(templateRoute('/shop/cart')).toBe('/shop/cart');
    expect(templateRoute('/feed/decade/facade')).toBe('/feed/decade/facade');
    expect(templateRoute('/')).toBe('/');
  });
});
