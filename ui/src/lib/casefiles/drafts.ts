// Where unsent casefile drafts are kept: the active account's local database through the
// backend's draft commands (save_casefile_draft / list_casefile_drafts / delete_casefile_draft),
// so closing the app or a crash loses nothing. When the backend cannot take a draft (the page
// runs outside the desktop app, or no account is open) the webview's storage keeps it, and the
// next save moves it into the database; reading merges both. Drafts written to the webview's
// storage by earlier versions of the app show up the same way.

import { backend } from "../backend";
import { MemoryDraftStore, WebStorageDraftStore, type DraftRecord, type DraftStore } from "../forms/autosave";
import { FallbackDraftStore } from "../forms/backendDrafts";
import { editorDraftOf, emptyDraft, type CasefileEditorDraft } from "./editorDraft";

export const CASEFILE_DRAFT_PREFIX = "penneo-desk.casefile-draft.";

export class BackendCasefileDraftStore implements DraftStore<CasefileEditorDraft> {
  async load(key: string): Promise<DraftRecord<CasefileEditorDraft> | null> {
    return (await this.list()).find((r) => r.key === key) ?? null;
  }

  async save(record: DraftRecord<CasefileEditorDraft>): Promise<void> {
    await backend.saveCasefileDraft(record.key, record.value);
  }

  async remove(key: string): Promise<void> {
    await backend.deleteCasefileDraft(key);
  }

  async list(): Promise<DraftRecord<CasefileEditorDraft>[]> {
    const all = await backend.listCasefileDrafts();
    return all.map((d) => ({ key: d.id, value: editorDraftOf(d.draft), savedAt: d.updatedAt, baseVersion: null }));
  }
}

let store: DraftStore<CasefileEditorDraft> | null = null;

export function casefileDraftStore(): DraftStore<CasefileEditorDraft> {
  if (!store) {
    const local =
      typeof localStorage !== "undefined"
        ? new WebStorageDraftStore<CasefileEditorDraft>(localStorage, CASEFILE_DRAFT_PREFIX)
        : new MemoryDraftStore<CasefileEditorDraft>();
    store = new FallbackDraftStore<CasefileEditorDraft>(new BackendCasefileDraftStore(), local);
  }
  return store;
}

/** Forgets the chosen store (tests that swap the IPC mock between cases). */
export function resetCasefileDraftStore(): void {
  store = null;
}

/** Newest first. */
export async function listCasefileDrafts(
  s: DraftStore<CasefileEditorDraft> = casefileDraftStore(),
): Promise<DraftRecord<CasefileEditorDraft>[]> {
  const all = await s.list();
  return all.filter((r) => isDraftShape(r.value)).sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

/** Creates and stores an empty draft; returns its key. */
export async function createCasefileDraft(
  key: string,
  s: DraftStore<CasefileEditorDraft> = casefileDraftStore(),
  now: () => Date = () => new Date(),
): Promise<DraftRecord<CasefileEditorDraft>> {
  const record: DraftRecord<CasefileEditorDraft> = { key, value: emptyDraft(), savedAt: now().toISOString(), baseVersion: null };
  await s.save(record);
  return record;
}

/** A stored value that can be opened as a draft (guards against foreign or damaged entries). */
export function isDraftShape(v: unknown): v is CasefileEditorDraft {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.title === "string" && Array.isArray(o.signers) && Array.isArray(o.documents);
}
