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

/**
 * Takes every item stored under `prefix` (oldest first, as their names sort), removing each as it
 * is read so it is used once, and returns the entries of those holding a JSON array, in order.
 * Malformed items are skipped; storage that throws holds nothing more this page can use.
 */
export function takeStoredEntries(prefix: string): unknown[] {
  const entries: unknown[] = [];
  try {
    const storage = pageStorage();
    if (!storage) return entries;
    const names: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const name = storage.key(i);
      if (name !== null && name.startsWith(prefix)) names.push(name);
    }
    for (const name of names.sort()) {
      const text = storage.getItem(name);
      storage.removeItem(name);
      try {
        const parsed: unknown = JSON.parse(text ?? '[]');
        if (Array.isArray(parsed)) for (const entry of parsed) entries.push(entry);
      } catch {
        // A malformed item holds nothing to use.
      }
    }
  } catch {
    // Storage that throws on read holds nothing more this page can use.
  }
  return entries;
}
