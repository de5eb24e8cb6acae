// The sync overview in Settings: when each part of the cache was last synced, and the
// "Sync everything" progress line, without a DOM.

import type { SyncProgress, SyncState } from "../backend";

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
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now.getTime() - t) / 1000);
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return m === 1 ? "1 minute ago" : `${m} minutes ago`;
  const h = Math.round(m / 60);
  if (h < 24) return h === 1 ? "1 hour ago" : `${h} hours ago`;
  const d = Math.round(h / 24);
  if (d < 8) return d === 1 ? "yesterday" : `${d} days ago`;
  return new Date(t).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** A full local date and time for a tooltip. */
export function fullTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toLocaleString();
}

const SCOPE_NAMES: Record<string, string> = {
  forms: "Forms",
  submissions: "Submissions",
  casefiles: "Casefiles",
};

/** One line for the progress of "Sync everything", e.g. "Submissions: 120 of 340". */
export function progressLine(p: SyncProgress, formName?: string): string {
  const what = SCOPE_NAMES[p.scope] ?? p.scope;
  const of = formName ? ` of ${formName}` : "";
  const count = p.total !== null ? `${p.done} of ${p.total}` : `${p.done}`;
  return `${what}${of}: ${count}`;
}
