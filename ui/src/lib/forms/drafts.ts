// Where the builder keeps unsent edits: the app's local database through the backend's draft
// commands, with the webview's storage as the fallback when the backend cannot take them (outside
// the desktop app, or before an account is open). The builder only sees the DraftStore interface.

import { MemoryDraftStore, WebStorageDraftStore, type DraftStore } from "./autosave";
import { BackendDraftStore, FallbackDraftStore } from "./backendDrafts";
import type { FormDefinition } from "../backend";

let store: DraftStore<FormDefinition> | null = null;

export function draftStore(): DraftStore<FormDefinition> {
  if (!store) {
    const local =
      typeof localStorage !== "undefined" ? new WebStorageDraftStore<FormDefinition>(localStorage) : new MemoryDraftStore<FormDefinition>();
    store = new FallbackDraftStore<FormDefinition>(new BackendDraftStore(), local);
  }
  return store;
}

/** A short random id for a form that exists only on this computer so far. */
export function newLocalId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
