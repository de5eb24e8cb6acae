// Casefiles as the backend's local database returns them (mirrors desk-core's CasefileRecord,
// SignerRecord, DocumentRecord, CasefileSummary; camelCase over the wire), and what the detail
// view derives from them.

import type { SignerState } from "../bindings";
import { casefileStatus } from "./status";
import { dayEndIso, dayStartIso } from "./time";
import { formatNumber } from "../format";
import { m } from "../i18n.svelte";

export interface SignerRecord {
  signerId: number;
  name?: string | null;
  email?: string | null;
  role?: string | null;
  /** What the raw code means; null until the account's numbering is learned. */
  status?: SignerState | null;
  /** `signingRequest.status` as Penneo sent it. */
  statusCode?: number | null;
  /** For the signing link and reminders. */
  signingRequestId?: number | null;
  signingOrder?: number | null;
  signedAt?: string | null;
  /** The signer as Penneo sent it (the signing link is its own call). */
  raw?: unknown;
}

export interface DocumentRecord {
  documentId: number;
  title?: string | null;
  /** "signable" or "attachment". */
  docType?: string | null;
  status?: number | null;
  docOrder?: number | null;
}

export interface CasefileRecord {
  casefileId: number;
  title: string;
  reference?: string | null;
  status: number;
  language?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
  sentAt?: string | null;
  expireAt?: string | null;
  completedAt?: string | null;
  signers: SignerRecord[];
  documents: DocumentRecord[];
  /** When the cache last took this casefile from Penneo (fixed-width UTC, sorts as text). */
  syncedAt?: string;
}

export interface CasefileSummary {
  casefileId: number;
  title: string;
  reference?: string | null;
  status: number;
  createdAt?: string | null;
  updatedAt?: string | null;
  expireAt?: string | null;
  signerCount: number;
  signedCount: number;
}

/** Signed documents may be downloaded only once the casefile is completed (status 5). */
export function canDownloadSigned(status: number): boolean {
  return status === 5;
}

/** "2 of 3 signed". */
export function signingProgress(c: Pick<CasefileSummary, "signerCount" | "signedCount">): string {
  return m.casefiles_signing_progress({ signed: formatNumber(c.signedCount), total: formatNumber(c.signerCount) });
}

/** Signers grouped by signing order (lanes), in order; signers without an order come last. */
export function signerSteps(signers: readonly SignerRecord[]): SignerRecord[][] {
  const groups = new Map<number, SignerRecord[]>();
  for (const s of signers) {
    const k = typeof s.signingOrder === "number" ? s.signingOrder : Number.MAX_SAFE_INTEGER;
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}

/** Documents in their order; signed ones before attachments when no order is known. */
export function documentsInOrder(docs: readonly DocumentRecord[]): DocumentRecord[] {
  return docs
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.docOrder ?? Number.MAX_SAFE_INTEGER) - (b.d.docOrder ?? Number.MAX_SAFE_INTEGER) || a.i - b.i)
    .map((x) => x.d);
}

/** The detail view's "what happens next" line. */
export function nextStep(c: Pick<CasefileRecord, "status" | "expireAt">, now: Date = new Date()): string {
  const info = casefileStatus(c.status);
  if (c.status === 1 && c.expireAt) {
    const t = Date.parse(c.expireAt);
    if (!Number.isNaN(t) && t > now.getTime()) {
      const days = Math.ceil((t - now.getTime()) / 86_400_000);
      return `${info.next} ${days === 1 ? m.casefiles_expires_in_one_day() : m.casefiles_expires_in_days({ days: formatNumber(days) })}`;
    }
  }
  return info.next;
}

export interface CasefileListFilter {
  statuses?: number[];
  /** Matches title or reference, case-insensitively. */
  search?: string;
}

/** The list's filter applied in memory (the backend has the same for the database). */
export function filterCasefiles<C extends CasefileSummary>(list: readonly C[], f: CasefileListFilter): C[] {
  const q = (f.search ?? "").trim().toLocaleLowerCase();
  return list.filter((c) => {
    if (f.statuses && f.statuses.length > 0 && !f.statuses.includes(c.status)) return false;
    if (q && !c.title.toLocaleLowerCase().includes(q) && !(c.reference ?? "").toLocaleLowerCase().includes(q)) return false;
    return true;
  });
}

/** The list's filters as the user set them (dates are `<input type="date">` values, local days). */
export interface CasefileListControls {
  statuses: number[];
  search: string;
  dateField: "created" | "updated";
  from: string;
  to: string;
}

export const DEFAULT_LIST_CONTROLS: CasefileListControls = { statuses: [], search: "", dateField: "created", from: "", to: "" };

/** The backend's `CasefileQuery` for the controls: inclusive local days turned into UTC bounds. */
export function casefileQueryOf(c: CasefileListControls, limit = 100, cursor: string | null = null) {
  const search = c.search.trim();
  return {
    statuses: [...c.statuses].sort((a, b) => a - b),
    dateField: c.dateField,
    from: dayStartIso(c.from),
    to: dayEndIso(c.to),
    search: search === "" ? null : search,
    ascending: false,
    limit,
    cursor,
  };
}

/** A problem with the chosen dates, or null. */
export function dateRangeProblem(c: Pick<CasefileListControls, "from" | "to">): string | null {
  if (c.from && !dayStartIso(c.from)) return m.casefiles_date_start_invalid();
  if (c.to && !dayEndIso(c.to)) return m.casefiles_date_end_invalid();
  if (c.from && c.to && c.from > c.to) return m.casefiles_date_range_reversed();
  return null;
}

/**
 * True for the reference the backend gives a casefile sent without one (`desk-<send id>`), used
 * to find it again after an interrupted send; the UI shows it as such rather than as the user's.
 */
export function isAppReference(reference: string | null | undefined): boolean {
  return typeof reference === "string" && /^desk-[0-9a-f-]{36}$/i.test(reference);
}
