/** Types for find-chromium.mjs, so playwright.config.ts typechecks under `strict`. */
export declare const CHROMIUM_ENV: 'PLAYWRIGHT_CHROMIUM_EXECUTABLE';
export declare const CHROMIUM_ARGS: string[];
export declare const CHROMIUM_HELP: string;
export type ChromiumLookup = { executablePath: string; source: string } | { executablePath: undefined; help: string };
export declare function findChromium(env?: Record<string, string | undefined>): ChromiumLookup;
