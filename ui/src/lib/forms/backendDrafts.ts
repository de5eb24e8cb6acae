// Builder drafts in the app's local database (save_form_draft / list_form_drafts /
// delete_form_draft), so closing the app or a crash loses nothing. A draft of a form that
// exists in Penneo is keyed `form:<formId>` (one draft per form); a new form `new:<localId>`.
//
// `FallbackDraftStore` writes to the database and, only when the backend cannot take the draft
// (the page runs outside the desktop app, or no account is open), to the webview's storage, so an
// edit is never dropped; reading merges both.

import { backend, toBackendError, type FormDefinition, type FormDraft } from "../backend";
import type { DraftRecord, DraftStore } from "./autosave";

/** The Penneo form a draft key edits, or null for a form not created yet. */
export function formIdOfKey(key: string): string | null {
  return key.startsWith("form:") ? key.slice("form:".length) || null : null;
}

function toRecord(d: FormDraft): DraftRecord<FormDefinition> {
  return {
    key: d.id,
    value: d.definition,
    savedAt: d.updatedAt,
    baseVersion: d.baseVersion,
  };
}

export class BackendDraftStore implements DraftStore<FormDefinition> {
  async load(key: string): Promise<DraftRecord<FormDefinition> | null> {
    const all = await backend.listFormDrafts();
    const formId = formIdOfKey(key);
    // The database keeps one draft per form whatever id it was first saved under.
    const found = all.find((d) => d.id === key) ?? (formId ? all.find((d) => d.formId === formId) : undefined);
    return found ? { ...toRecord(found), key } : null;
  }

  async save(record: DraftRecord<FormDefinition>): Promise<void> {
    await backend.saveFormDraft({
      id: record.key,
      formId: formIdOfKey(record.key),
      baseVersion: record.baseVersion,
      definition: record.value,
      updatedAt: record.savedAt,
    });
  }

  async remove(key: string): Promise<void> {
    const formId = formIdOfKey(key);
    if (formId) {
      // Whatever id the database gave this form's draft.
      const all = await backend.listFormDrafts();
      for (const d of all.filter((x) => x.formId === formId && x.id !== key)) await backend.deleteFormDraft(d.id);
    }
    await backend.deleteFormDraft(key);
  }

  async list(): Promise<DraftRecord<FormDefinition>[]> {
    const all = await backend.listFormDrafts();
    return all.map((d) => {
      const r = toRecord(d);
      // Present a form's draft under its canonical key.
      return d.formId ? { ...r, key: `form:${d.formId}` } : r;
    });
  }
}

/** Errors that mean "the backend cannot keep drafts right now", as opposed to a bad draft. */
const UNAVAILABLE = new Set(["backend_unavailable", "ipc_error", "auth_required", "storage"]);

function unavailable(e: unknown): boolean {
  return UNAVAILABLE.has(toBackendError(e).code);
}

export class FallbackDraftStore<T> implements DraftStore<T> {
  constructor(
    private readonly primary: DraftStore<T>,
    private readonly fallback: DraftStore<T>,
  ) {}

  async load(key: string): Promise<DraftRecord<T> | null> {
    let fromPrimary: DraftRecord<T> | null = null;
    try {
      fromPrimary = await this.primary.load(key);
    } catch (e) {
      if (!unavailable(e)) throw e;
    }
    const fromFallback = await this.fallback.load(key);
    if (fromPrimary && fromFallback) return fromPrimary.savedAt >= fromFallback.savedAt ? fromPrimary : fromFallback;
    return fromPrimary ?? fromFallback;
  }

  async save(record: DraftRecord<T>): Promise<void> {
    try {
      await this.primary.save(record);
      // Once the database has it, an older copy kept in the fallback would only confuse.
      await this.fallback.remove(record.key);
    } catch (e) {
      if (!unavailable(e)) throw e;
      await this.fallback.save(record);
    }
  }

  async remove(key: string): Promise<void> {
    await this.fallback.remove(key);
    try {
      await this.primary.remove(key);
    } catch (e) {
      if (!unavailable(e)) throw e;
    }
  }

  async list(): Promise<DraftRecord<T>[]> {
    const byKey = new Map<string, DraftRecord<T>>();
    for (const r of await this.fallback.list()) byKey.set(r.key, r);
    try {
      for (const r of await this.primary.list()) {
        const other = byKey.get(r.key);
        if (!other || r.savedAt >= other.savedAt) byKey.set(r.key, r);
      }
    } catch (e) {
      if (!unavailable(e)) throw e;
    }
    return [...byKey.values()].sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }
}
