import { defineConfig } from 'vitest/config';

/**
 * Unit tests (test/unit mirrors src/) and integration tests against the built package
 * (test/integration, which needs `npx tsup` first; `npm test` builds before it runs them).
 * End-to-end tests in test/e2e belong to Playwright.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
    pool: 'forks',
    // A guard against hangs, not a speed check: property tests on a loaded two-core CI box take
    // seconds, and vitest's 5 s default would fail them for being slow.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
