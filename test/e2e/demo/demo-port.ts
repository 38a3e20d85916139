/**
 * The port the demo server listens on during the end-to-end run (playwright.config.ts starts it
 * there through `webServers`). Fixed (3217, or ISOMETER_E2E_DEMO_PORT), so a demo already running
 * on it is reused outside CI; two checkouts tested at once on one machine pick different ones.
 */
export const DEMO_PORT = Number(process.env.ISOMETER_E2E_DEMO_PORT) || 3217;

/** The demo's origin as the pages see it. */
export const DEMO_ORIGIN = `http://127.0.0.1:${DEMO_PORT}`;
