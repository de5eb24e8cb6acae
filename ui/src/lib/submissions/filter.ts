// The submissions table's filters and sorting, applied to rows held in memory (the backend applies
// the same query to its database for large sets; see desk-core's SubmissionQuery). Date bounds are
// exclusive, like the server's completedAfter / completedBefore. A field filter matches when any
// instance of the field matches.

import { answerValues, instancesOf, valueText, type SubmissionSummary } from "./types";

export type FilterOp = "equals" | "contains" | "isEmpty" | "notEmpty";

export interface FieldFilter {
  field: string;
  op: FilterOp;
  value?: string | null;
}

export type SortKey =
  | { key: "completedAt" }
  | { key: "respondent" }
  | { key: "version" }
  | { key: "casefileStatus" }
  | { key: "reviewed" }
  | { key: "field"; field: string };

export interface SubmissionFilter {
  /** ISO-8601; exclusive. */
  completedAfter?: string | null;
  /** ISO-8601; exclusive. */
  completedBefore?: string | null;
  fields?: FieldFilter[];
  reviewed?: boolean | null;
  flagged?: boolean | null;
  sort?: SortKey;
  descending?: boolean;
}

/** Every value of a field over all sections and instances, as text. */
export function fieldValues(s: SubmissionSummary, field: string): string[] {
  const out: string[] = [];
  for (const section of s.answers?.sections ?? []) {
    for (const entries of instancesOf(section)) {
      for (const e of entries) {
        if (e?.name !== field) continue;
        const values = answerValues(e).map(valueText);
        if (values.length === 0) out.push("");
        else out.push(...values);
      }
    }
  }
  return out;
}

const norm = (s: string) => s.trim().toLocaleLowerCase();

export function matchesField(s: SubmissionSummary, f: FieldFilter): boolean {
  const values = fieldValues(s, f.field);
  const nonEmpty = values.filter((v) => v.trim() !== "");
  switch (f.op) {
    case "isEmpty":
      return nonEmpty.length === 0;
    case "notEmpty":
      return nonEmpty.length > 0;
    case "equals": {
      const want = norm(f.value ?? "");
      return want === "" ? nonEmpty.length === 0 : nonEmpty.some((v) => norm(v) === want);
    }
    case "contains": {
      const want = norm(f.value ?? "");
      return want === "" || nonEmpty.some((v) => norm(v).includes(want));
    }
  }
}

function time(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

export function matches(s: SubmissionSummary, filter: SubmissionFilter): boolean {
  const at = time(s.completedAt);
  const after = time(filter.completedAfter);
  const before = time(filter.completedBefore);
  if (after !== null && (at === null || at <= after)) return false;
  if (before !== null && (at === null || at >= before)) return false;
  if (filter.reviewed !== undefined && filter.reviewed !== null && (s.reviewed === true) !== filter.reviewed) return false;
  if (filter.flagged !== undefined && filter.flagged !== null && (s.flagged === true) !== filter.flagged) return false;
  return (filter.fields ?? []).every((f) => matchesField(s, f));
}

function sortValue(s: SubmissionSummary, key: SortKey): string | number | null {
  switch (key.key) {
    case "completedAt":
      return time(s.completedAt);
    case "respondent": {
      const r = (s.respondentName ?? "").trim() || (s.respondentEmail ?? "").trim();
      return r === "" ? null : r;
    }
    case "version":
      return s.version ?? null;
    case "casefileStatus":
      return s.casefileStatus ?? null;
    case "reviewed":
      return s.reviewed ? 1 : 0;
    case "field": {
      const v = fieldValues(s, key.field).find((x) => x.trim() !== "");
      if (v === undefined) return null;
      const n = Number(v.trim());
      return v.trim() !== "" && Number.isFinite(n) ? n : v;
    }
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return collator.compare(a, b);
}

/** Filters and sorts. Sorting is stable; empty values go last in both directions. */
export function applyFilter<S extends SubmissionSummary>(rows: readonly S[], filter: SubmissionFilter): S[] {
  const kept = rows.filter((r) => matches(r, filter));
  const key = filter.sort ?? { key: "completedAt" };
  const dir = filter.descending ? -1 : 1;
  return kept
    .map((row, i) => ({ row, i, v: sortValue(row, key) }))
    .sort((a, b) => {
      if (a.v === null && b.v === null) return a.i - b.i;
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      return dir * compareValues(a.v, b.v) || a.i - b.i;
    })
    .map((x) => x.row);
}

/**
 * Exclusive ISO bounds for a date range picked as calendar days (`YYYY-MM-DD`, inclusive, in the
 * given UTC offset in minutes; default the local offset): from the start of `from` to the end of `to`.
 */
export function dayRangeBounds(
  from: string | null,
  to: string | null,
  offsetMinutes?: number,
): { completedAfter: string | null; completedBefore: string | null } {
  const start = (day: string): number | null => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
    if (!m) return null;
    const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    const off = offsetMinutes ?? -new Date(utc).getTimezoneOffset();
    return utc - off * 60_000;
  };
  const a = from ? start(from) : null;
  const b = to ? start(to) : null;
  return {
    completedAfter: a === null ? null : new Date(a - 1).toISOString(),
    completedBefore: b === null ? null : new Date(b + 86_400_000).toISOString(),
  };
}
