import type { Page } from '@playwright/test';

/** What a page reported that a test may want to assert on. */
export interface PageProblems {
  /** Uncaught errors and unhandled rejections thrown into the page. */
  readonly errors: Error[];
  /** `console.warn` lines, in order. */
  readonly warnings: string[];
}

/**
 * Starts listening before the page loads, so nothing thrown during load is missed.
 *
 * @example
 * const problems = watchPage(page);
 * await page.goto(url);
 * expect(problems.errors).toEqual([]);
 */
export function watchPage(page: Page): PageProblems {
  const problems = { errors: [] as Error[], warnings: [] as string[] };
  page.on('pageerror', (error) => problems.errors.push(error));
  page.on('console', (message) => {
    if (message.type() === 'warning') problems.warnings.push(message.text());
  });
  return problems;
}
