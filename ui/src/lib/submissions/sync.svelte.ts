// Syncing for the submissions page, shared by every view of it: one run at a time (opening the
// page again while a sync runs shows that run's progress instead of starting another), progress
// from the backend's channel, the last error kept calmly beside the cached rows, and when each
// form's submissions were last synced (`syncState`).

import { backend, channel, onBackendEvent, toBackendError, type SyncProgress, type SyncReport, type SyncState } from "../backend";
import { m } from "../i18n.svelte";
import { resource } from "../resource.svelte";
import { progressLine } from "../settings/sync";

export class SubmissionSync {
  running = $state(false);
  progress: SyncProgress | null = $state(null);
  /** The reason the last run failed (offline, signed out, …); cached rows stay usable. */
  error: string | null = $state(null);
  errorCode: string | null = $state(null);
  report: SyncReport | null = $state(null);
  /** Counts the runs (ours and the backend's own) that may have changed the cache: views that
   *  depend on it read again when it changes. */
  cacheChanges = $state(0);
  private current: Promise<void> | null = null;
  private following = false;

  /** Also counts the backend's own periodic syncs, so open views show what they brought. */
  follow(): void {
    if (this.following) return;
    this.following = true;
    void onBackendEvent((ev) => {
      if (ev.type !== "backgroundSynced" && ev.type !== "newsMissed") return;
      // After missed news the views cannot know what changed: they read again.
      const changed = ev.type === "newsMissed" || ev.submissions > 0;
      void this.loadStates().then(() => {
        if (changed) this.cacheChanges += 1;
      });
    });
  }

  // Reads overlap (a run ending as background news arrive): the resource shows the newest one.
  private readonly syncStates = resource<SyncState[]>(async () => {
    try {
      return await backend.syncState();
    } catch {
      // Not signed in yet: nothing was synced for this account.
      return [];
    }
  }, []);

  /** When each scope (forms, each form's submissions, casefiles) was last synced. */
  get states(): SyncState[] {
    return this.syncStates.data;
  }

  async loadStates(): Promise<void> {
    this.follow();
    await this.syncStates.load();
  }

  /** Forms, every form's submissions, then casefiles (whose status the table shows). */
  run(): Promise<void> {
    if (this.current) return this.current;
    this.running = true;
    this.progress = null;
    this.current = (async () => {
      try {
        this.report = await backend.syncAll(channel<SyncProgress>((p) => (this.progress = p)));
        this.error = this.report.failures.length > 0 ? this.report.failures.join("; ") : null;
        this.errorCode = null;
      } catch (e) {
        const err = toBackendError(e);
        this.error = err.message;
        this.errorCode = err.code;
      } finally {
        await this.loadStates();
        this.running = false;
        this.progress = null;
        this.current = null;
        this.cacheChanges += 1;
      }
    })();
    return this.current;
  }
}

export const submissionSync = new SubmissionSync();

/** What a progress message says, with the form's name when known (the Settings page's wording). */
export function progressText(p: SyncProgress | null, formName: (id: string) => string | null): string {
  if (!p) return m.sync_starting();
  return progressLine(p, (p.formId ? formName(p.formId) : null) ?? undefined);
}
