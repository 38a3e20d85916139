/**
 * The port the demo server listens on during the end-to-end run (playwright.config.ts starts it
 * there through `webServers`). Fixed (3217, or ISOMETER_E2E_DEMO_PORT), so a demo already running
 * on it is reused outside CI; two checkouts tested at once on one machine pick different ones.
 */
export const DEMO_PORT = Number(process.env.ISOMETER_E2E_DEMO_PORT) || 3217;

/** The demo's origin as the pages see it. */
export const DEMO_ORIGIN = `http://127.0.0.1:${DEMO_PORT}`;

/**
 * The port of the viewer the demo starts (`ISOMETER_DEV_PORT`), which both sides report to:
 * ISOMETER_E2E_VIEWER_PORT, else the demo's port + 1000.
 */
export const VIEWER_PORT = Number(process.env.ISOMETER_E2E_VIEWER_PORT) || DEMO_PORT + 1000;

/** The viewer's origin: its page at `/`, its state at `/api/state`. */
export const VIEWER_ORIGIN = `http://127.0.0.1:${VIEWER_PORT}`;
