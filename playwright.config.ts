import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './scripts/find-chromium.mjs';
import { DEMO_PORT, VIEWER_PORT } from './test/e2e/demo/demo-port';

/**
 * End-to-end tests in real Chromium. The browser comes from the machine (see
 * scripts/find-chromium.mjs); `npm test` checks for it first and explains how to get one.
 */
const chromium = findChromium();

/**
 * Servers Playwright starts before the tests and stops after them. A scenario that needs a
 * shared server (the demo) adds an entry here; a scenario with its own small server starts it
 * in the spec (see test/e2e/support/static-server.ts).
 */
type WebServer = Extract<NonNullable<PlaywrightTestConfig['webServer']>, unknown[]>[number];
const webServers: WebServer[] = [
  {
    // The demo (node-demo) for test/e2e/demo: its server, both browser-demo pages and the viewer it starts.
    command: 'node node-demo/server.mjs',
    // The suite checks propagation and sampling, not the demo's simulated outages: turn those off
    // so a page load's requests are the same every run.
    env: { PORT: String(DEMO_PORT), ISOMETER_DEV_PORT: String(VIEWER_PORT), DEMO_FAILURE_RATE: '0' },
    url: `http://127.0.0.1:${DEMO_PORT}/health`,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe',
  },
];

export default defineConfig({
  // End-to-end scenarios, and the browser folder's unit specs, which need a real page.
  testDir: 'test',
  testMatch: ['e2e/**/*.spec.ts', 'unit/browser/**/*.spec.ts'],
  outputDir: 'test-results',
  fullyParallel: false,
  // Two cores: one browser at a time leaves the other for the servers under test.
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: 'list',
  use: {
    headless: true,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 720 },
        launchOptions: {
          executablePath: chromium.executablePath,
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
  webServer: webServers.length > 0 ? webServers : undefined,
});
