import { describe, expect, it } from 'vitest';
import { templateAttributeValue, templateRoute, templateRouteAttributes } from '../../../../src/core/metrics/route-template';

describe('templateRoute', () => {
  it.each([
    ['/orders/8417/items', '/orders/:id/items'],
    ['/orders/8417', '/orders/:id'],
    ['/users/3f2b8c1e-9d4a-4e6b-8f0a-2c5d7e9b1a3c/cart', '/users/:id/cart'],
    ['/objects/507f1f77bcf86cd799439011', '/objects/:id'],
    ['/invoices/INV-2024001337', '/invoices/:id'],
    ['/orders/8417/items?page=2#top', '/orders/:id/items'],
    ['https://shop.example.com:8443/orders/8417', 'https://shop.example.com:8443/orders/:id'],
    ['/a/1/b/2/c/3', '/a/:id/b/:id/c/:id'],
  ])('templates %s as %s', (value, expected) => {
    expect(templateRoute(value)).toBe(expected);
  });

  it.each(['/api/v2/items', '/api/resource-a0', '/cafebabe', '/deadbeefdeadbeefcafe', '/users/:id', '/health', 'GET /api/orders'])('keeps %s as it is', (value) => {
    expect(templateRoute(value)).toBe(value.split(/[?#]/)[0]);
  });

  it('gives the same answer for a value met again, before and after thousands of other values (whose ids never recur)', () => {
    expect(templateRoute('/orders/17/items')).toBe('/orders/:id/items');
    for (let id = 0; id < 5000; id++) expect(templateRoute(`/carts/${id}`)).toBe('/carts/:id');
    expect(templateRoute('/orders/17/items')).toBe('/orders/:id/items');
    expect(templateRoute('/api/resource-a0')).toBe('/api/resource-a0');
    expect(templateRoute('/api/resource-a0')).toBe('/api/resource-a0');
  });

  it('returns the very same string when there is no digit', () => {
    const value = '/api/cart?x=y';
    expect(templateRoute(value)).toBe(value);
  });
});

describe('templateAttributeValue and templateRouteAttributes', () => {
  it('templates only route and URL keys, and only strings', () => {
    expect(templateAttributeValue('http.route', '/users/42')).toBe('/users/:id');
    expect(templateAttributeValue('url.path', '/users/42')).toBe('/users/:id');
    expect(templateAttributeValue('user_id', '/users/42')).toBe('/users/42');
    expect(templateAttributeValue('route', 42)).toBe(42);
  });

  it('returns the same object when nothing changed, a copy when something did', () => {
    const clean = { route: '/cart', status: 200 };
    expect(templateRouteAttributes(clean)).toBe(clean);
    const withId = { route: '/cart/991', status: 200 };
    expect(templateRouteAttributes(withId)).toEqual({ route: '/cart/:id', status: 200 });
    expect(withId.route).toBe('/cart/991');
  });
});
