// Where unsent casefile drafts are kept: the webview's localStorage for now (survives closing the
// app), behind the same `DraftStore` interface the forms builder uses, so a backend store (SQLite
// through a command) can replace it here in one place.

import { MemoryDraftStore, WebStorageDraftStore, type DraftRecord, type DraftStore } from "../forms/autosave";
import { emptyDraft, type CaseFileDraft } from "./types";

export const CASEFILE_DRAFT_PREFIX = "penneo-desk.casefile-draft.";

let store: DraftStore<CaseFileDraft> | null = null;

export function casefileDraftStore(): DraftStore<CaseFileDraft> {
  if (!store) {
    store =
      typeof localStorage !== "undefined"
        ? new WebStorageDraftStore<CaseFileDraft>(localStorage, CASEFILE_DRAFT_PREFIX)
        : new MemoryDraftStore<CaseFileDraft>();
  }
  return store;
}

/** Newest first. */
export async function listCasefileDrafts(s: DraftStore<CaseFileDraft> = casefileDraftStore()): Promise<DraftRecord<CaseFileDraft>[]> {
  const all = await s.list();
  return all.filter((r) => isDraftShape(r.value)).sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

/** Creates and stores an empty draft; returns its key. */
export async function createCasefileDraft(
  key: string,
  s: DraftStore<CaseFileDraft> = casefileDraftStore(),
  now: () => Date = () => new Date(),
): Promise<DraftRecord<CaseFileDraft>> {
  const record: DraftRecord<CaseFileDraft> = { key, value: emptyDraft(), savedAt: now().toISOString(), baseVersion: null };
  await s.save(record);
  return record;
}

/** A stored value that can be opened as a draft (guards against foreign or damaged entries). */
export function isDraftShape(v: unknown): v is CaseFileDraft {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.title === "string" && Array.isArray(o.signers) && Array.isArray(o.documents);
}
