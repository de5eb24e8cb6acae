// The sync overview in Settings: when each part of the cache was last synced, and the
// "Sync everything" progress line, without a DOM.

import type { SyncProgress, SyncState } from "../backend";
import { formatDateTime, formatRelative } from "../format";
import { m } from "../i18n.svelte";

export interface SyncOverview {
  forms: string | null;
  casefiles: string | null;
  /** Per form: when its submissions were last synced. */
  submissions: { formId: string; lastSyncedAt: string }[];
  /** The least recently synced form's time, when there is one. */
  oldestSubmissions: string | null;
}

export function syncOverview(states: SyncState[]): SyncOverview {
  const out: SyncOverview = { forms: null, casefiles: null, submissions: [], oldestSubmissions: null };
  for (const s of states) {
    if (s.scope === "forms") out.forms = s.lastSyncedAt;
    else if (s.scope === "casefiles") out.casefiles = s.lastSyncedAt;
    else if (s.scope.startsWith("submissions:")) {
      out.submissions.push({ formId: s.scope.slice("submissions:".length), lastSyncedAt: s.lastSyncedAt });
    }
  }
  out.submissions.sort((a, b) => a.lastSyncedAt.localeCompare(b.lastSyncedAt));
  out.oldestSubmissions = out.submissions[0]?.lastSyncedAt ?? null;
  return out;
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago"; the date itself beyond a week. */
export function timeAgo(iso: string, now: Date = new Date()): string {
  return formatRelative(iso, now);
}

/** A full local date and time for a tooltip. */
export function fullTime(iso: string): string {
  return formatDateTime(iso);
}

const SCOPE_NAMES: Record<string, () => string> = {
  forms: () => m.sync_forms(),
  submissions: () => m.sync_submissions(),
  casefiles: () => m.sync_casefiles(),
};

/** One line for the progress of "Sync everything", e.g. "Submissions: 120 of 340". */
export function progressLine(p: SyncProgress, formName?: string): string {
  const what = SCOPE_NAMES[p.scope]?.() ?? p.scope;
  const count = p.total !== null ? m.sync_count_of({ done: String(p.done), total: String(p.total) }) : String(p.done);
  return formName ? m.sync_progress_of({ what, form: formName, count }) : m.sync_progress({ what, count });
}
