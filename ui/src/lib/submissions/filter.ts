// The submissions table's filters and sorting as the UI holds them; the backend applies them to
// its database (`buildQuery` in ./query.ts makes desk-core's SubmissionQuery of them). Date bounds
// are exclusive, like the server's completedAfter / completedBefore. A field filter matches when
// any instance of the field matches.

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
