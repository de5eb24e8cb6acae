// Checking answers against a form (the live preview and the prefilled-request dialog), and
// turning prefilled answers into the body of a prefilled request (contract operation 13).

import { computeVisibility, isRepeatable, type AnswerValue, type PreviewAnswers } from "./conditions";
import type { FormDefinition, Field as FormField, PrefilledRequest, PrefillValue as PrefillValueSent } from "../backend";
import { formatNumber } from "../format";
import { m } from "../i18n.svelte";

export interface AnswerIssue {
  /** `<sectionSlug>[<instance>].<fieldName>`, or `<sectionSlug>` for the section itself. */
  path: string;
  message: string;
}

export function answerPath(slug: string, instance: number, name: string): string {
  return `${slug}[${instance}].${name}`;
}

function isEmpty(v: AnswerValue): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "string") return v.trim() === "";
  if (Array.isArray(v)) return v.length === 0 || v.every((x) => x.trim() === "");
  return false;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]{3,}[0-9]$/;

function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The problem with one (non-empty) value of a field, or null. */
export function valueProblem(field: FormField, value: string | number | boolean): string | null {
  const text = String(value).trim();
  switch (field.type) {
    case "TEXT": {
      const min = field.validations?.minLength;
      const max = field.validations?.maxLength;
      if (typeof min === "number" && text.length < min) return m.forms_answer_min_length({ min: formatNumber(min) });
      if (typeof max === "number" && text.length > max) return m.forms_answer_max_length({ max: formatNumber(max) });
      return null;
    }
    case "EMAIL":
      return EMAIL.test(text) ? null : m.forms_answer_email();
    case "PHONE":
      return PHONE.test(text) ? null : m.forms_answer_phone();
    case "NUMBER": {
      const n = typeof value === "number" ? value : Number(text.replace(",", "."));
      if (text === "" || !Number.isFinite(n)) return m.forms_answer_number();
      const min = field.validations?.min;
      const max = field.validations?.max;
      if (typeof min === "number" && n < min) return m.forms_answer_min({ min: formatNumber(min) });
      if (typeof max === "number" && n > max) return m.forms_answer_max({ max: formatNumber(max) });
      return null;
    }
    case "DATE":
      return isIsoDate(text) ? null : m.forms_answer_date();
    case "CHOICE": {
      const values = (field.options ?? []).map((o) => o.value);
      return values.includes(text) ? null : m.forms_answer_choice();
    }
    default:
      return null;
  }
}

export interface ValidateAnswersOptions {
  /** Report empty required fields (the signer's submit). Off for a prefill, which the client completes. */
  requireAll?: boolean;
}

/** Messages for the answers as the signer would get them: only visible fields are checked. */
export function validateAnswers(def: FormDefinition, answers: PreviewAnswers, options: ValidateAnswersOptions = {}): AnswerIssue[] {
  const requireAll = options.requireAll ?? true;
  const issues: AnswerIssue[] = [];
  const visibility = computeVisibility(def, answers);

  def.sections.forEach((section, si) => {
    const sv = visibility.sections[si];
    if (!sv || !sv.visible) return;
    const given = answers[section.slug ?? ""] ?? [];
    const max = section.multipleEntries?.max ?? 1;
    if (given.length > max) {
      issues.push({
        path: section.slug ?? "",
        message: max === 1 ? m.forms_answer_section_one() : m.forms_answer_section_max({ max: formatNumber(max) }),
      });
    }
    sv.instances.forEach((inst, ii) => {
      const values = given[ii] ?? {};
      section.fields.forEach((field, fi) => {
        if (!inst.fields[fi] || field.type === "HTML" || !field.name) return;
        const path = answerPath(section.slug ?? "", ii, field.name);
        const v = values[field.name];
        if (isEmpty(v)) {
          if (field.required === true && requireAll) issues.push({ path, message: m.forms_answer_required() });
          return;
        }
        const many = Array.isArray(v);
        const list = (many ? v : [v]) as Array<string | number | boolean>;
        const multi = field.type === "CHOICE" && field.layout === "CHECKBOX";
        if (many && !multi && !isRepeatable(field)) {
          issues.push({ path, message: m.forms_answer_one_value() });
          return;
        }
        if (isRepeatable(field) && field.multipleEntries?.max && list.length > field.multipleEntries.max) {
          issues.push({ path, message: m.forms_answer_max_values({ max: formatNumber(field.multipleEntries.max) }) });
        }
        for (const item of list) {
          if (typeof item === "string" && item.trim() === "") continue;
          const problem = valueProblem(field, item);
          if (problem) {
            issues.push({ path, message: problem });
            break;
          }
        }
      });
    });
  });
  return issues;
}

/** Prefilled answers: the value, and whether the client may change it. */
export interface PrefillValue {
  value: AnswerValue;
  locked: boolean;
}

export type PrefillAnswers = Record<string, Array<Record<string, PrefillValue>>>;

/**
 * The body of `POST /v2/forms/{formId}/requests`: answers keyed by section slug → instances →
 * field name → `{value, editable}`. Empty values are left out; a section with nothing filled in
 * is left out. Names not in the form are left out too (the server would answer 400).
 */
export function prefillRequestBody(def: FormDefinition, prefill: PrefillAnswers): PrefilledRequest {
  const answers: PrefilledRequest["answers"] = {};
  for (const section of def.sections) {
    const instances = prefill[section.slug ?? ""];
    if (!instances) continue;
    const names = new Set(section.fields.filter((f) => f.type !== "HTML" && f.name).map((f) => f.name as string));
    const out = instances.map((inst) => {
      const entry: Record<string, PrefillValueSent> = {};
      for (const [name, pv] of Object.entries(inst)) {
        if (!names.has(name) || pv.value === undefined || isEmpty(pv.value)) continue;
        entry[name] = { value: pv.value, editable: !pv.locked };
      }
      return entry;
    });
    // Trailing empty instances carry nothing.
    while (out.length > 0 && Object.keys(out[out.length - 1] ?? {}).length === 0) out.pop();
    if (out.length > 0) answers[section.slug ?? ""] = out;
  }
  return { answers };
}

/** Plain answers of a prefill, for validation and the preview. */
export function prefillValues(prefill: PrefillAnswers): PreviewAnswers {
  const out: PreviewAnswers = {};
  for (const [slug, instances] of Object.entries(prefill)) {
    out[slug] = instances.map((inst) => Object.fromEntries(Object.entries(inst).map(([k, v]) => [k, v.value])));
  }
  return out;
}

/**
 * Checks a prefill like the builder checks the form: every value given must suit its field (the
 * client fills in the rest, so nothing is required), and a locked field needs a value, or the
 * client would face an empty field they cannot change.
 */
export function validatePrefill(def: FormDefinition, prefill: PrefillAnswers): AnswerIssue[] {
  const issues = validateAnswers(def, prefillValues(prefill), { requireAll: false });
  for (const section of def.sections) {
    (prefill[section.slug ?? ""] ?? []).forEach((inst, ii) => {
      for (const field of section.fields) {
        if (field.type === "HTML" || !field.name) continue;
        const pv = inst[field.name];
        if (pv?.locked && isEmpty(pv.value)) {
          issues.push({ path: answerPath(section.slug ?? "", ii, field.name), message: m.forms_answer_lock_empty() });
        }
      }
    });
  }
  return issues;
}

/** Field types whose value can be prefilled (a FILE is uploaded by the client; HTML is text). */
export function canPrefill(field: FormField): boolean {
  return field.type !== "HTML" && field.type !== "FILE" && !!field.name;
}
