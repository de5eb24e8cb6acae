// Where unsent casefile drafts are kept: the active account's local database through the
// backend's draft commands (save_casefile_draft / list_casefile_drafts / delete_casefile_draft),
// so closing the app or a crash loses nothing. When the backend cannot take a draft (the page
// runs outside the desktop app, or no account is open) the webview's storage keeps it, and the
// next save moves it into the database; reading merges both. Drafts written to the webview's
// storage by earlier versions of the app show up the same way.

import { backend, type JsonValue } from "../backend";
import { MemoryDraftStore, WebStorageDraftStore, type DraftRecord, type DraftStore } from "../forms/autosave";
import { FallbackDraftStore } from "../forms/backendDrafts";
import { emptyDraft, type CaseFileDraft } from "./types";

export const CASEFILE_DRAFT_PREFIX = "penneo-desk.casefile-draft.";

export class BackendCasefileDraftStore implements DraftStore<CaseFileDraft> {
  async load(key: string): Promise<DraftRecord<CaseFileDraft> | null> {
    return (await this.list()).find((r) => r.key === key) ?? null;
  }

  async save(record: DraftRecord<CaseFileDraft>): Promise<void> {
    await backend.saveCasefileDraft(record.key, record.value as unknown as JsonValue);
  }

  async remove(key: string): Promise<void> {
    await backend.deleteCasefileDraft(key);
  }

  async list(): Promise<DraftRecord<CaseFileDraft>[]> {
    const all = await backend.listCasefileDrafts();
    return all.map((d) => ({ key: d.id, value: d.draft as unknown as CaseFileDraft, savedAt: d.updatedAt, baseVersion: null }));
  }
}

let store: DraftStore<CaseFileDraft> | null = null;

export function casefileDraftStore(): DraftStore<CaseFileDraft> {
  if (!store) {
    const local =
      typeof localStorage !== "undefined"
        ? new WebStorageDraftStore<CaseFileDraft>(localStorage, CASEFILE_DRAFT_PREFIX)
        : new MemoryDraftStore<CaseFileDraft>();
    store = new FallbackDraftStore<CaseFileDraft>(new BackendCasefileDraftStore(), local);
  }
  return store;
}

/** Forgets the chosen store (tests that swap the IPC mock between cases). */
export function resetCasefileDraftStore(): void {
  store = null;
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
