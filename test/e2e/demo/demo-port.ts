/**
 * The port the demo server listens on during the end-to-end run (playwright.config.ts starts it
 * there through `webServers`). Fixed, so a demo already running on it is reused outside CI.
 */
export const DEMO_PORT = 3217;

/** The demo's origin as the pages see it. */
export const DEMO_ORIGIN = `http://127.0.0.1:${DEMO_PORT}`;
