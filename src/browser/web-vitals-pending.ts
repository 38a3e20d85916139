/** One vital value, as much of web-vitals' `Metric` as isometer records. */
export interface VitalValue {
  id: string;
  name: string;
  value: number;
  rating: string;
  navigationType: string;
  navigationId: number;
  route: string;
  /** Attribution kept for the span of a poor-rated value (selectors and types only). */
  attribution?: Record<string, string>;
}

const STORAGE_PREFIX = 'isometer.web_vitals.pending.';

/**
 * The INP and CLS values of this page load that are not final yet: web-vitals reports them again,
 * with the same id, each time the page is hidden; only the last report counts (as in CrUX). The
 * latest per id is kept here and in `sessionStorage` (one tab's, so another open tab never takes
 * them), so a page that is hidden and then discarded without `pagehide` still has its values
 * sent, on the next load of the same origin in that tab.
 */
export class PendingVitals {
  private readonly latest = new Map<string, VitalValue>();
  private readonly key = `${STORAGE_PREFIX}${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

  /** Keeps `value` as the latest for its id. */
  set(value: VitalValue): void {
    this.latest.set(value.id, value);
  }

  /** Writes what is pending to storage (at each hide). */
  save(): void {
    const storage = sessionStorageOrUndefined();
    if (!storage) return;
    try {
      if (this.latest.size === 0) storage.removeItem(this.key);
      else storage.setItem(this.key, JSON.stringify([...this.latest.values()]));
    } catch {
      // Storage full or blocked: the values still leave at pagehide.
    }
  }

  /** Everything pending, now final; forgets it here and in storage. */
  take(): VitalValue[] {
    const values = [...this.latest.values()];
    this.latest.clear();
    try {
      sessionStorageOrUndefined()?.removeItem(this.key);
    } catch {
      // Nothing stored, nothing to remove.
    }
    return values;
  }
}

/** Values a previous page load of this origin left in storage (it was discarded without pagehide); removes them. */
export function takeAbandonedVitals(): VitalValue[] {
  const storage = sessionStorageOrUndefined();
  if (!storage) return [];
  const values: VitalValue[] = [];
  try {
    const keys: string[] = [];
    for (let index = 0; index < storage.length; index++) {
      const key = storage.key(index);
      if (key?.startsWith(STORAGE_PREFIX)) keys.push(key);
    }
    for (const key of keys) {
      const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
      storage.removeItem(key);
      if (Array.isArray(parsed)) values.push(...parsed.filter((entry): entry is VitalValue => typeof entry?.name === 'string' && typeof entry?.value === 'number'));
    }
  } catch {
    // Unreadable storage: nothing to recover.
  }
  return values;
}

function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    // Reading sessionStorage throws where storage is blocked (sandboxed frames, some privacy modes).
    return undefined;
  }
}
