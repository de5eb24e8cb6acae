// The casefile sends of the active account as shared reactive state: the backend's outbox, kept
// current by its events, so a send goes on in the background while the user works elsewhere and
// a send resumed after a restart shows up. Which local draft a send came from is remembered here
// too: once Penneo has made the casefile, that draft is removed.

import { backend, channel, onBackendEvent, toBackendError, type BackendError, type DeskEvent, type OutboxEntry } from "../backend";
import { casefileDraftStore } from "./drafts";
import { applyDeskEvent, entryIdOf, isCreated, isOlder, viewOf, type SendView } from "./outbox";
import { inDocumentOrder } from "./documents";
import { toSendPayload, type CasefileEditorDraft } from "./editorDraft";

export const SEND_LINK_PREFIX = "penneo-desk.casefile-send.";

/** Remembers (in localStorage) which draft a send came from. */
export interface SendLinks {
  draftOf(entryId: string): string | null;
  entryOf(draftKey: string): string | null;
  link(entryId: string, draftKey: string): void;
  unlink(entryId: string): void;
}

export function webStorageSendLinks(storage: Storage): SendLinks {
  return {
    draftOf: (id) => storage.getItem(SEND_LINK_PREFIX + id),
    entryOf(draftKey) {
      for (let i = 0; i < storage.length; i++) {
        const k = storage.key(i);
        if (k?.startsWith(SEND_LINK_PREFIX) && storage.getItem(k) === draftKey) return k.slice(SEND_LINK_PREFIX.length);
      }
      return null;
    },
    link: (id, draftKey) => storage.setItem(SEND_LINK_PREFIX + id, draftKey),
    unlink: (id) => storage.removeItem(SEND_LINK_PREFIX + id),
  };
}

function memoryLinks(): SendLinks {
  const m = new Map<string, string>();
  return {
    draftOf: (id) => m.get(id) ?? null,
    entryOf: (k) => [...m.entries()].find(([, v]) => v === k)?.[0] ?? null,
    link: (id, k) => void m.set(id, k),
    unlink: (id) => void m.delete(id),
  };
}

/** The files of a draft in document order (the order Penneo receives them in). */
export function filesOf(draft: CasefileEditorDraft): { paths: string[]; missing: string[] } {
  const paths: string[] = [];
  const missing: string[] = [];
  for (const d of inDocumentOrder(draft.documents)) {
    if (d.source?.path) paths.push(d.source.path);
    else missing.push(d.name || d.title);
  }
  return { paths, missing };
}

// The Maps and Sets below are bookkeeping, not state any view draws: plain collections on purpose.
/* eslint svelte/prefer-svelte-reactivity: "off" */

export class Sends {
  views: Record<string, SendView> = $state({});
  loaded = $state(false);
  error: BackendError | null = $state(null);
  /** Bumped when a send made a casefile and its draft is removed (the lists reload). */
  created = $state(0);

  private readonly links: SendLinks;
  private listening: Promise<() => void> | null = null;
  /** Entries whose news come through their send's own channel (the global event is skipped). */
  private readonly channelled = new Set<string>();
  /** Reads of an entry on their way, and the entries asked for again meanwhile. */
  private readonly fetching = new Map<string, Promise<void>>();
  private readonly askedAgain = new Set<string>();
  /** Sends removed from the queue here (a read of the outbox already on its way may still list them). */
  private readonly removed = new Set<string>();

  constructor(links?: SendLinks) {
    this.links = links ?? (typeof localStorage !== "undefined" ? webStorageSendLinks(localStorage) : memoryLinks());
  }

  get list(): SendView[] {
    return Object.values(this.views);
  }

  view(entryId: string): SendView | null {
    return this.views[entryId] ?? null;
  }

  /** The send a draft is in, if any. */
  sendOfDraft(draftKey: string): SendView | null {
    const id = this.links.entryOf(draftKey);
    return id ? this.view(id) : null;
  }

  draftOf(entryId: string): string | null {
    return this.links.draftOf(entryId);
  }

  /** Reads the outbox (finished sends too, so drafts of sends that finished while the app was closed go). */
  async load(): Promise<void> {
    this.listen();
    const shownBefore = new Set(Object.keys(this.views));
    try {
      const entries = await backend.outboxList(true);
      const next: Record<string, SendView> = {};
      for (const e of entries) {
        // Removed while the read was on its way.
        if (this.removed.has(e.id)) continue;
        const before = this.views[e.id];
        if (before && isOlder(e.updatedAt, before.entry.updatedAt)) next[e.id] = before;
        else next[e.id] = before && before.entry.state === e.state ? { ...before, entry: e } : viewOf(e);
      }
      // Sends that appeared while the read was on its way are kept; they are newer than it.
      for (const [id, view] of Object.entries(this.views)) if (!(id in next) && !shownBefore.has(id)) next[id] = view;
      this.views = next;
      this.error = null;
      for (const e of entries) this.settle(e);
    } catch (e) {
      this.error = toBackendError(e);
    } finally {
      this.loaded = true;
    }
  }

  /** Starts following the backend's news (once). */
  listen(): void {
    if (this.listening) return;
    this.listening = onBackendEvent((ev) => this.onEvent(ev, "event"));
  }

  async stop(): Promise<void> {
    const p = this.listening;
    this.listening = null;
    if (p) (await p)();
  }

  onEvent(ev: DeskEvent, from: "event" | "channel"): void {
    const id = entryIdOf(ev);
    if (!id) return;
    if (from === "event" && this.channelled.has(id)) return;
    const view = this.views[id];
    if (!view) {
      // A send this view has not seen yet (queued elsewhere, or resumed at start-up).
      void this.refresh(id);
      return;
    }
    const next = applyDeskEvent(view, ev);
    this.views[id] = next;
    if (ev.type === "outboxChanged") {
      if (ev.state !== "queued" && ev.state !== "uploading" && ev.state !== "sent") this.channelled.delete(id);
      // The draft goes as soon as the casefile exists; the event carries no result (signing
      // links), so the entry is read again for them.
      if (isCreated(next.entry)) this.settle(next.entry);
      if (isCreated(next.entry) || ev.state === "stopped") void this.refresh(id);
    }
  }

  /**
   * Reads one entry again. Asked while a read is on its way, it reads once more after that one:
   * the read in flight may have started before the news that asked for this one.
   */
  refresh(entryId: string): Promise<void> {
    const inFlight = this.fetching.get(entryId);
    if (inFlight) {
      this.askedAgain.add(entryId);
      return inFlight;
    }
    const run = (async () => {
      try {
        do {
          this.askedAgain.delete(entryId);
          await this.readEntry(entryId);
        } while (this.askedAgain.has(entryId));
      } finally {
        this.fetching.delete(entryId);
      }
    })();
    this.fetching.set(entryId, run);
    return run;
  }

  private async readEntry(entryId: string): Promise<void> {
    try {
      const e = await backend.outboxEntry(entryId);
      const before = this.views[entryId];
      // The channel may have brought newer news while this read was on its way.
      if (before && isOlder(e.updatedAt, before.entry.updatedAt)) return;
      this.views[entryId] = before ? { ...before, entry: e, upload: e.state === "uploading" ? before.upload : null } : viewOf(e);
      this.settle(e);
    } catch (e) {
      const err = toBackendError(e);
      if (err.code === "not_found") {
        delete this.views[entryId];
        this.askedAgain.delete(entryId);
      }
    }
  }

  /** A send that made its casefile: its draft is no longer needed. */
  private settle(e: OutboxEntry): void {
    if (!isCreated(e)) return;
    const draftKey = this.links.draftOf(e.id);
    if (draftKey) {
      this.links.unlink(e.id);
      // Views re-read on `created` (the casefile list, the drafts list): only once the draft is gone.
      void casefileDraftStore()
        .remove(draftKey)
        .catch(() => {})
        .finally(() => this.created++);
    }
  }

  /**
   * Sends a draft: the backend writes it down with the files' hashes and uploads in the
   * background. Returns the new entry; throws a `BackendError` (with `field` when one input
   * is at fault).
   */
  async send(draftKey: string, draft: CasefileEditorDraft): Promise<OutboxEntry> {
    this.listen();
    const { paths, missing } = filesOf(draft);
    if (missing.length > 0) {
      throw toBackendError({
        code: "invalid_input",
        message: `${missing.join(", ")} ${missing.length === 1 ? "has" : "have"} no file on this computer: remove ${missing.length === 1 ? "it" : "them"} and add the PDF again.`,
        retryable: false,
        field: "documents",
      });
    }
    const pending: DeskEvent[] = [];
    let entryId: string | null = null;
    const ch = channel<DeskEvent>((ev) => {
      if (entryId === null) pending.push(ev);
      else this.onEvent(ev, "channel");
    });
    const payload = toSendPayload(draft);
    const entry = await backend.sendCasefile(payload, paths, ch);
    this.links.link(entry.id, draftKey);
    this.channelled.add(entry.id);
    this.views[entry.id] = this.views[entry.id] ?? viewOf(entry);
    entryId = entry.id;
    for (const ev of pending.splice(0)) this.onEvent(ev, "channel");
    return entry;
  }

  async retry(entryId: string): Promise<void> {
    await backend.outboxRetry(entryId);
    await this.refresh(entryId);
  }

  /** Removes a stopped or finished send from the queue (its draft stays, to be sent again). */
  async remove(entryId: string): Promise<void> {
    await backend.outboxRemove(entryId);
    this.removed.add(entryId);
    this.links.unlink(entryId);
    delete this.views[entryId];
  }
}

export const sends = new Sends();
