/** The origin's `localStorage`, else its `sessionStorage`, else undefined (blocked, sandboxed, absent). */
export function pageStorage(): Storage | undefined {
  for (const name of ['localStorage', 'sessionStorage'] as const) {
    try {
      const storage = (globalThis as Partial<Record<typeof name, Storage>>)[name];
      if (storage && typeof storage.setItem === 'function') return storage;
    } catch {
      // Storage access throws in some sandboxed frames and with cookies blocked.
    }
  }
  return undefined;
}
