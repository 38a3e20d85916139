/**
 * The two browser-demo variants; every spec in this folder runs its tests once per variant.
 * `service` is the page's `serviceName`, as the viewer shows it.
 */
export const DEMO_VARIANTS = [
  { name: 'script-tag', path: '/script-tag/', service: 'browser-demo-script-tag' },
  { name: 'bundled', path: '/bundled/', service: 'browser-demo-bundled' },
] as const;

export type DemoVariant = (typeof DEMO_VARIANTS)[number];
