// Answers objects flattened into export rows: one row per submission, one column per field.
// A field of a plain section is a column named by the field (`contact_name`); a field of a repeated
// section gets one column per instance, numbered from 1: `references[1].reference_customer`,
// `references[2].reference_customer`. Several values (checkboxes, repeated fields) are joined.
// Fixed columns about the submission come first.

import type { FormDefinition } from "../backend";
import { isInputField } from "../forms/fieldTypes";
import { answerValues, instancesOf, isRepeatedSection, sectionKey, sectionKeyIn, valueText, type AnswersObject, type SubmissionSummary } from "./types";

export interface ExportColumn {
  key: string;
  header: string;
}

export interface ExportTable {
  columns: ExportColumn[];
  /** One array per submission, in column order. */
  rows: string[][];
}

export interface FlattenOptions {
  /** Between several values of one field. Default ", " (as the backend's value_text). */
  joinWith?: string;
  /** Which fixed columns to include, in order. Default: all of META_COLUMNS. */
  meta?: readonly MetaColumn[];
  /** The form definition: names sections that carry no slug. */
  form?: FormDefinition | null;
}

export const META_COLUMNS = [
  "submissionId",
  "completedAt",
  "respondentName",
  "respondentEmail",
  "version",
  "casefileId",
  "casefileStatus",
  "reviewed",
  "flagged",
  "note",
] as const;
export type MetaColumn = (typeof META_COLUMNS)[number];

const META_HEADERS: Record<MetaColumn, string> = {
  submissionId: "submission_id",
  completedAt: "completed_at",
  respondentName: "respondent_name",
  respondentEmail: "respondent_email",
  version: "form_version",
  casefileId: "casefile_id",
  casefileStatus: "casefile_status",
  reviewed: "reviewed",
  flagged: "flagged",
  note: "note",
};

/** The column key of a field: `name`, or `section[i].name` for instance i (1-based) of a repeated section. */
export function columnKey(section: string, repeated: boolean, instance: number, name: string): string {
  return repeated ? `${section}[${instance}].${name}` : name;
}

/** One submission's answers as `column key → text`. */
export function flattenAnswers(answers: AnswersObject | null | undefined, options: FlattenOptions = {}): Map<string, string> {
  const join = options.joinWith ?? ", ";
  const out = new Map<string, string>();
  if (!answers || !Array.isArray(answers.sections)) return out;
  answers.sections.forEach((section, si) => {
    const key = sectionKeyIn(section, si, options.form);
    const repeated = isRepeatedSection(section);
    instancesOf(section).forEach((entries, ii) => {
      for (const entry of entries) {
        if (!entry || typeof entry.name !== "string" || entry.name === "") continue;
        const col = columnKey(key, repeated, ii + 1, entry.name);
        const text = answerValues(entry).map(valueText).join(join);
        const prev = out.get(col);
        // The same name twice (should not happen): keep both values rather than lose one.
        out.set(col, prev === undefined || prev === "" ? text : text === "" ? prev : `${prev}${join}${text}`);
      }
    });
  });
  return out;
}

/**
 * The field columns for a set of submissions: in the form's order when a definition is given (a
 * repeated section as many times as the most instances any submission has), then any column only
 * the answers know (older versions), in order of first appearance.
 */
export function fieldColumns(flat: readonly Map<string, string>[], form?: FormDefinition | null): string[] {
  const seen: string[] = [];
  const seenSet = new Set<string>();
  for (const m of flat) {
    for (const k of m.keys()) {
      if (!seenSet.has(k)) {
        seenSet.add(k);
        seen.push(k);
      }
    }
  }
  if (!form) return seen;
  const ordered: string[] = [];
  const add = (k: string) => {
    if (!ordered.includes(k)) ordered.push(k);
  };
  form.sections.forEach((section, si) => {
    const key = section.slug || sectionKey({ title: section.title }, si);
    const names = section.fields.filter((f) => isInputField(f) && f.name).map((f) => f.name as string);
    if (section.multipleEntries) {
      const prefix = `${key}[`;
      let max = 0;
      for (const k of seen) {
        if (!k.startsWith(prefix)) continue;
        const n = Number(k.slice(prefix.length, k.indexOf("]", prefix.length)));
        if (Number.isInteger(n) && n > max) max = n;
      }
      for (let i = 1; i <= Math.max(1, max); i++) for (const n of names) add(columnKey(key, true, i, n));
    } else {
      for (const n of names) add(n);
    }
  });
  for (const k of seen) add(k);
  return ordered;
}

function metaText(s: SubmissionSummary, c: MetaColumn): string {
  const v = s[c];
  if (v === null || v === undefined) return c === "reviewed" || c === "flagged" ? "false" : "";
  return String(v);
}

/** The whole export: fixed columns, then field columns; one row per submission in the given order. */
export function buildExportTable(
  submissions: readonly SubmissionSummary[],
  form?: FormDefinition | null,
  options: FlattenOptions = {},
): ExportTable {
  const meta = options.meta ?? META_COLUMNS;
  const flat = submissions.map((s) => flattenAnswers(s.answers, { ...options, form: options.form ?? form ?? null }));
  const fields = fieldColumns(flat, form);
  const metaKeys = new Set<string>(meta.map((m) => META_HEADERS[m]));
  const columns: ExportColumn[] = [
    ...meta.map((m) => ({ key: `@${m}`, header: META_HEADERS[m] })),
    // A field whose name equals a fixed header would make two columns of one name.
    ...fields.map((f) => ({ key: f, header: metaKeys.has(f) ? `field.${f}` : f })),
  ];
  const rows = submissions.map((s, i) => [...meta.map((m) => metaText(s, m)), ...fields.map((f) => flat[i]?.get(f) ?? "")]);
  return { columns, rows };
}

/**
 * The JSON export: the fixed fields of each submission plus `answers`, keyed by field name;
 * a repeated section becomes an array of instance objects under its key; several values an array.
 */
export function toJsonExport(submissions: readonly SubmissionSummary[], form?: FormDefinition | null): string {
  const items = submissions.map((s) => {
    const out: Record<string, unknown> = {};
    for (const m of META_COLUMNS) out[m] = s[m] ?? (m === "reviewed" || m === "flagged" ? false : null);
    const answers: Record<string, unknown> = {};
    (s.answers?.sections ?? []).forEach((section, si) => {
      const key = sectionKeyIn(section, si, form);
      const objects = instancesOf(section).map((entries) => {
        const o: Record<string, unknown> = {};
        for (const e of entries) {
          if (!e || typeof e.name !== "string") continue;
          o[e.name] = Array.isArray(e.values) ? e.values : (e.value ?? null);
        }
        return o;
      });
      if (isRepeatedSection(section)) answers[key] = objects;
      else Object.assign(answers, objects[0] ?? {});
    });
    out.answers = answers;
    return out;
  });
  return JSON.stringify(items, null, 2) + "\n";
}
