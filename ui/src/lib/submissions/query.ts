// What the submissions page asks the backend: the table's filters turned into a `SubmissionQuery`
// (incomplete conditions left out and reported next to their field, never sent half-made), the
// form's fields as pickable columns, a stored answers object (or, failing that, the flat answer
// rows) as the answers view's `AnswersObject`, and "last synced" for a form's scope.

import type { AnswerRow, FieldFilter, Form, FormDefinition, SubmissionDetail, SubmissionQuery, SyncState } from "../backend";
import { editableDefinition } from "../forms/duplicate";
import { isInputField } from "../forms/fieldTypes";
import type { SortKey, SubmissionFilter } from "./filter";
import type { AnswerEntry, AnswersObject, AnswersSection } from "./types";
import { formatDateTime, formatRelative } from "../format";
import { m } from "../i18n.svelte";

/** Rows fetched per page while the user scrolls. */
export const PAGE_SIZE = 500;

/** Pages the submissions table keeps at most (farthest from its window dropped first): rows held are at most `PAGE_SIZE * MAX_PAGES`. */
export const MAX_PAGES = 6;

/** The table's initial view: newest first, nothing filtered. */
export const DEFAULT_FILTER: SubmissionFilter = { sort: { key: "completedAt" }, descending: true };

export interface FieldChoice {
  name: string;
  label: string;
  sectionTitle: string;
  type: string;
}

/** A form object from the backend as a definition, when it carries its sections (a summary does not). */
export function toFormDefinition(form: Form | null | undefined): FormDefinition | null {
  return form?.sections ? editableDefinition(form) : null;
}

/** The form's answerable fields in form order (a name listed once), for columns and conditions. */
export function formFields(form: FormDefinition | null): FieldChoice[] {
  const out: FieldChoice[] = [];
  const seen = new Set<string>();
  for (const section of form?.sections ?? []) {
    for (const f of section.fields ?? []) {
      if (!isInputField(f) || !f.name || seen.has(f.name)) continue;
      seen.add(f.name);
      out.push({ name: f.name, label: f.label?.trim() || f.name, sectionTitle: section.title ?? "", type: String(f.type) });
    }
  }
  return out;
}

/** Why a field condition cannot be applied yet, or null when it can. */
export function conditionProblem(f: FieldFilter): string | null {
  if (!f.field) return m.submissions_choose_field();
  if (f.op === "equals" && (f.value ?? "").trim() === "") return m.submissions_enter_value();
  return null;
}

/** The conditions that can be sent: complete ones, values trimmed; "contains" nothing is no condition. */
export function completeConditions(filters: readonly FieldFilter[] | undefined): FieldFilter[] {
  const out: FieldFilter[] = [];
  for (const f of filters ?? []) {
    if (conditionProblem(f) !== null) continue;
    if (f.op === "contains") {
      const value = (f.value ?? "").trim();
      if (value === "") continue;
      out.push({ field: f.field, op: "contains", value });
    } else if (f.op === "equals") out.push({ field: f.field, op: "equals", value: (f.value ?? "").trim() });
    else out.push({ field: f.field, op: f.op, value: null });
  }
  return out;
}

/** Problems of the conditions by their position, for messages next to each one. */
export function conditionProblems(filters: readonly FieldFilter[] | undefined): Record<number, string> {
  const out: Record<number, string> = {};
  (filters ?? []).forEach((f, i) => {
    const p = conditionProblem(f);
    if (p) out[i] = p;
  });
  return out;
}

export function sortKeyOf(sort: SortKey | undefined): SubmissionQuery["sort"] {
  const k = sort ?? { key: "completedAt" };
  return k.key === "field" ? { key: "field", field: k.field } : { key: k.key };
}

/**
 * The backend query for a view. `columns` are the extra field columns shown (their values come
 * back with each row); a column sorted on that is not shown is still sorted by the backend.
 * `page` picks the rows: by a cursor, or by an offset (the table's page cache), with the view's
 * row count when `withTotal`.
 */
export function buildQuery(
  formId: string,
  filter: SubmissionFilter,
  columns: readonly string[],
  page: { cursor?: string | null; limit?: number | null; offset?: number | null; withTotal?: boolean } = {},
): SubmissionQuery {
  return {
    formId,
    completedAfter: filter.completedAfter ?? null,
    completedBefore: filter.completedBefore ?? null,
    filters: completeConditions(filter.fields),
    reviewed: filter.reviewed ?? null,
    flagged: filter.flagged ?? null,
    sort: sortKeyOf(filter.sort),
    descending: filter.descending ?? false,
    columns: [...new Set(columns)],
    limit: page.limit === undefined ? PAGE_SIZE : page.limit,
    cursor: page.cursor ?? null,
    offset: page.offset ?? null,
    withTotal: page.withTotal ?? false,
  };
}

/** The next sort after a click on a column header: same column flips direction, a new one starts ascending (dates newest first). */
export function nextSort(filter: SubmissionFilter, key: SortKey): SubmissionFilter {
  const cur = filter.sort ?? { key: "completedAt" };
  const same = cur.key === key.key && (cur.key !== "field" || (key.key === "field" && cur.field === key.field));
  if (same) return { ...filter, descending: !(filter.descending ?? false) };
  return { ...filter, sort: key, descending: key.key === "completedAt" };
}

/**
 * The calendar days (`YYYY-MM-DD`) a pair of exclusive bounds made by `dayRangeBounds` stands for,
 * in the given UTC offset in minutes (default the local one): the date inputs show them again.
 */
export function boundsToDays(
  completedAfter: string | null | undefined,
  completedBefore: string | null | undefined,
  offsetMinutes?: number,
): { from: string; to: string } {
  const day = (t: number): string => {
    const off = offsetMinutes ?? -new Date(t).getTimezoneOffset();
    return new Date(t + off * 60_000).toISOString().slice(0, 10);
  };
  const a = completedAfter ? Date.parse(completedAfter) : NaN;
  const b = completedBefore ? Date.parse(completedBefore) : NaN;
  return { from: Number.isNaN(a) ? "" : day(a + 1), to: Number.isNaN(b) ? "" : day(b - 1) };
}

/** True when the view shows only part of the form's submissions. */
export function isFiltered(filter: SubmissionFilter): boolean {
  return (
    !!filter.completedAfter ||
    !!filter.completedBefore ||
    (filter.reviewed ?? null) !== null ||
    (filter.flagged ?? null) !== null ||
    completeConditions(filter.fields).length > 0
  );
}

/** The sync scope of a form's submissions (desk-core's `form_scope`). */
export function submissionScope(formId: string): string {
  return `submissions:${formId}`;
}

export function lastSyncedAt(states: readonly SyncState[], formId: string): string | null {
  return states.find((s) => s.scope === submissionScope(formId))?.lastSyncedAt ?? null;
}

/** "just now", "5 minutes ago", "3 hours ago", else a date and time. */
export function sinceText(iso: string | null, now: Date = new Date()): string {
  if (!iso) return m.submissions_never();
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now.getTime() - t) / 1000);
  if (s < 45) return m.submissions_just_now();
  if (s < 24 * 3600) return formatRelative(t, now);
  return formatDateTime(t);
}

function answersFromRows(rows: readonly AnswerRow[]): AnswersSection[] {
  const sections: { slug: string; title: string; repeated: boolean; instances: AnswerEntry[][] }[] = [];
  const bySlug = new Map<string, (typeof sections)[number]>();
  for (const r of rows) {
    let s = bySlug.get(r.sectionSlug);
    if (!s) {
      s = { slug: r.sectionSlug, title: r.sectionSlug, repeated: false, instances: [] };
      bySlug.set(r.sectionSlug, s);
      sections.push(s);
    }
    if (r.instanceIndex > 0) s.repeated = true;
    const list = (s.instances[r.instanceIndex] ??= []);
    list.push({ name: r.fieldName, label: r.label, type: r.fieldType, value: r.valueText });
  }
  return sections.map((s) => {
    const instances = Array.from({ length: s.instances.length }, (_, i) => s.instances[i] ?? []);
    return s.repeated
      ? { slug: s.slug || null, title: s.title || null, multipleEntries: true, instances: instances.map((answers) => ({ answers })) }
      : { slug: s.slug || null, title: s.title || null, multipleEntries: false, answers: instances[0] ?? [] };
  });
}

/**
 * The answers of a submission for the answers view: the answers object as Penneo sent it when it
 * was stored, else one rebuilt from the flat rows. Version and respondent come from the row when
 * the object lacks them.
 */
export function answersOf(detail: SubmissionDetail): AnswersObject {
  const raw = detail.answersJson;
  const row = detail.row;
  const base: AnswersObject = raw ?? { respondents: [], sections: answersFromRows(detail.answers) };
  const respondents =
    base.respondents.length > 0
      ? base.respondents
      : row.respondentName || row.respondentEmail
        ? [{ name: row.respondentName, email: row.respondentEmail }]
        : [];
  return {
    ...base,
    submissionId: base.submissionId ?? row.submissionId,
    formId: base.formId ?? row.formId,
    version: base.version ?? row.version,
    respondents,
  };
}
