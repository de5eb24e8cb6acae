// Where the builder keeps unsent edits. Today: the webview's localStorage, which survives closing
// the app and a crash. When the backend offers draft commands, swap the store here (one place);
// the builder only sees the DraftStore interface.

import { MemoryDraftStore, WebStorageDraftStore, type DraftStore } from "./autosave";
import type { FormDefinition } from "./types";

let store: DraftStore<FormDefinition> | null = null;

export function draftStore(): DraftStore<FormDefinition> {
  if (!store) {
    store =
      typeof localStorage !== "undefined"
        ? new WebStorageDraftStore<FormDefinition>(localStorage)
        : new MemoryDraftStore<FormDefinition>();
  }
  return store;
}

/** A short random id for a form that exists only on this computer so far. */
export function newLocalId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
