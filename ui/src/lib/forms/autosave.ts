// Autosave for the builder: every edit is written to a draft store shortly after typing pauses
// (and at least every `maxWaitMs` while typing goes on), so closing the app, a crash or a lost
// connection loses nothing; reopening offers the unsaved draft.
//
// The store is an interface so the backend can persist drafts (SQLite through a command) without
// this module knowing. `MemoryDraftStore` is a complete in-memory implementation (tests, and a
// session-only fallback); `WebStorageDraftStore` keeps drafts in the webview's localStorage.

/** A saved draft. */
export interface DraftRecord<T> {
  key: string;
  value: T;
  /** ISO-8601 time of the save. */
  savedAt: string;
  /** The server version the edits started from (null for a form never sent). */
  baseVersion: number | null;
}

export interface DraftStore<T> {
  load(key: string): Promise<DraftRecord<T> | null>;
  save(record: DraftRecord<T>): Promise<void>;
  remove(key: string): Promise<void>;
  list(): Promise<DraftRecord<T>[]>;
}

export class MemoryDraftStore<T> implements DraftStore<T> {
  private readonly records = new Map<string, string>();

  async load(key: string): Promise<DraftRecord<T> | null> {
    const raw = this.records.get(key);
    // Stored as JSON so a later edit of the caller's object cannot change a saved draft.
    return raw === undefined ? null : (JSON.parse(raw) as DraftRecord<T>);
  }

  async save(record: DraftRecord<T>): Promise<void> {
    this.records.set(record.key, JSON.stringify(record));
  }

  async remove(key: string): Promise<void> {
    this.records.delete(key);
  }

  async list(): Promise<DraftRecord<T>[]> {
    return [...this.records.values()].map((raw) => JSON.parse(raw) as DraftRecord<T>);
  }
}

/** The part of the Web Storage API the store needs (localStorage satisfies it). */
export interface WebStorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class WebStorageDraftStore<T> implements DraftStore<T> {
  constructor(
    private readonly storage: WebStorageLike,
    private readonly prefix = "penneo-desk.draft.",
  ) {}

  async load(key: string): Promise<DraftRecord<T> | null> {
    const raw = this.storage.getItem(this.prefix + key);
    if (raw === null) return null;
    try {
      return JSON.parse(raw) as DraftRecord<T>;
    } catch {
      return null;
    }
  }

  async save(record: DraftRecord<T>): Promise<void> {
    this.storage.setItem(this.prefix + record.key, JSON.stringify(record));
  }

  async remove(key: string): Promise<void> {
    this.storage.removeItem(this.prefix + key);
  }

  async list(): Promise<DraftRecord<T>[]> {
    const out: DraftRecord<T>[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const k = this.storage.key(i);
      if (k === null || !k.startsWith(this.prefix)) continue;
      const r = await this.load(k.slice(this.prefix.length));
      if (r) out.push(r);
    }
    return out;
  }
}

export type AutosaveStatus = "idle" | "pending" | "saving" | "saved" | "error";

export interface AutosaveOptions<T> {
  store: DraftStore<T>;
  key: string;
  baseVersion?: number | null;
  /** Quiet time after the last edit before saving. */
  delayMs?: number;
  /** Longest time an edit waits while edits keep coming. */
  maxWaitMs?: number;
  /** The value already in the store (e.g. the draft just opened): not saved again until it changes. */
  saved?: T;
  /** Called on every status change. */
  onStatus?: (status: AutosaveStatus, error: unknown) => void;
  /** The time of a save; injectable for tests. */
  now?: () => Date;
}

/**
 * Debounced saving of one draft. `update(value)` on every edit; `flush()` before leaving the
 * builder (or on window close); `discard()` when the draft was sent or thrown away.
 * Saves never overlap and never go backwards: the last value given is the one stored.
 */
export class Autosaver<T> {
  private readonly store: DraftStore<T>;
  private readonly key: string;
  private readonly baseVersion: number | null;
  private readonly delayMs: number;
  private readonly maxWaitMs: number;
  private readonly onStatus: ((status: AutosaveStatus, error: unknown) => void) | undefined;
  private readonly now: () => Date;

  private latest: { value: T; json: string } | null = null;
  private savedJson: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstPendingAt: number | null = null;
  private inFlight: Promise<void> | null = null;
  private disposed = false;

  status: AutosaveStatus = "idle";
  lastError: unknown = null;
  lastSavedAt: string | null = null;

  constructor(options: AutosaveOptions<T>) {
    this.store = options.store;
    this.key = options.key;
    this.baseVersion = options.baseVersion ?? null;
    this.delayMs = options.delayMs ?? 800;
    this.maxWaitMs = Math.max(options.maxWaitMs ?? 5000, this.delayMs);
    this.onStatus = options.onStatus;
    this.now = options.now ?? (() => new Date());
    if (options.saved !== undefined) this.savedJson = JSON.stringify(options.saved);
  }

  /** Records an edit; the save follows after the quiet time. */
  update(value: T): void {
    if (this.disposed) return;
    const json = JSON.stringify(value);
    this.latest = { value, json };
    if (json === this.savedJson && this.inFlight === null) {
      this.clearTimer();
      this.firstPendingAt = null;
      this.setStatus("saved");
      return;
    }
    const t = this.now().getTime();
    this.firstPendingAt ??= t;
    const waited = t - this.firstPendingAt;
    const wait = Math.max(0, Math.min(this.delayMs, this.maxWaitMs - waited));
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, wait);
    if (this.status !== "saving") this.setStatus("pending");
  }

  /** Saves now if anything is unsaved; resolves when the store has it. */
  async flush(): Promise<void> {
    this.clearTimer();
    // Wait for a save in progress, then save again if edits came in meanwhile.
    while (this.inFlight) await this.inFlight;
    const pending = this.latest;
    if (!pending || pending.json === this.savedJson) return;
    this.firstPendingAt = null;
    const record: DraftRecord<T> = {
      key: this.key,
      value: JSON.parse(pending.json) as T,
      savedAt: this.now().toISOString(),
      baseVersion: this.baseVersion,
    };
    this.setStatus("saving");
    this.inFlight = this.store.save(record).then(
      () => {
        this.savedJson = pending.json;
        this.lastSavedAt = record.savedAt;
        this.lastError = null;
      },
      (e: unknown) => {
        this.lastError = e;
      },
    );
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
    if (this.lastError !== null) {
      this.setStatus("error");
      return;
    }
    if (this.latest && this.latest.json !== this.savedJson) {
      // Edited while saving: save that too.
      await this.flush();
    } else {
      this.setStatus("saved");
    }
  }

  /** True while an edit is not yet in the store. */
  get dirty(): boolean {
    return this.latest !== null && this.latest.json !== this.savedJson;
  }

  /** Removes the stored draft and stops saving (after the form was sent or the draft dropped). */
  async discard(): Promise<void> {
    this.dispose();
    while (this.inFlight) await this.inFlight;
    await this.store.remove(this.key);
    this.setStatus("idle");
  }

  /** Stops the timer; edits after this are ignored. Call flush() first to keep them. */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private setStatus(status: AutosaveStatus): void {
    if (this.status === status && status !== "error") return;
    this.status = status;
    this.onStatus?.(status, this.lastError);
  }
}

/**
 * The draft to offer when a form is opened: the stored one, when it differs from what the server
 * has (`current`). Its `baseVersion` lets the builder warn that it started from an older version.
 */
export async function unsavedDraft<T>(store: DraftStore<T>, key: string, current: T | null): Promise<DraftRecord<T> | null> {
  const record = await store.load(key);
  if (!record) return null;
  if (current !== null && JSON.stringify(record.value) === JSON.stringify(current)) return null;
  return record;
}

/** The draft key of a form: its id, or a local id for a form not yet created on the server. */
export function draftKey(formId: string | null, localId: string): string {
  return formId ? `form:${formId}` : `new:${localId}`;
}
