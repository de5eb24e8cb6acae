// Answer values shown by type: dates and numbers in the reader's locale, choices by their label
// from the form definition, national and business ids grouped the usual way, files as items with
// a name and size. The answers view's layout follows the form: its sections and fields in order,
// repeated sections as numbered instances, answers the form no longer has kept at the end.

import type { FormDefinition, Field as FormField, Section as FormSection } from "../backend";
import { isInputField } from "../forms/fieldTypes";
import { answerValues, instancesOf, isRepeatedSection, sectionKeyIn, valueText, type AnswerEntry, type AnswersObject } from "./types";
import { dateTimeFormat, numberFormat } from "../format";

export type ValueKind = "text" | "email" | "phone" | "date" | "number" | "choice" | "nin" | "businessId" | "file" | "empty";

export interface FileValue {
  filename: string;
  size: number | null;
  url: string | null;
}

export interface DisplayValue {
  kind: ValueKind;
  /** What to show. */
  text: string;
  /** The value as stored, for copy and title attributes. */
  raw: string;
  file?: FileValue;
}

export interface DisplayOptions {
  locale?: string;
  /** Show only the last 4 characters of national ids. */
  maskNin?: boolean;
}

/** The field type of an answer: its own `type`, the typed-value names, or the form's. */
export function kindOf(entry: Pick<AnswerEntry, "type"> | null, field?: Pick<FormField, "type"> | null): ValueKind {
  const t = String(entry?.type ?? field?.type ?? "")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");
  switch (t) {
    case "DATE":
      return "date";
    case "NUMBER":
    case "NUMERIC":
      return "number";
    case "CHOICE":
      return "choice";
    case "NIN":
      return "nin";
    case "BUSINESSID":
      return "businessId";
    case "FILE":
      return "file";
    case "EMAIL":
      return "email";
    case "PHONE":
      return "phone";
    default:
      return "text";
  }
}

/** `DDMMYY-XXXX` for 10 digits (CPR, Swedish short form), `DDMMYY XXXXX` for 11 (Norway); else as given. */
export function formatNin(raw: string, mask = false): string {
  const t = raw.trim();
  const digits = t.replace(/[\s-]/g, "");
  let out = t;
  if (/^\d{10}$/.test(digits)) out = `${digits.slice(0, 6)}-${digits.slice(6)}`;
  else if (/^\d{11}$/.test(digits)) out = `${digits.slice(0, 6)} ${digits.slice(6)}`;
  else if (/^\d{12}$/.test(digits)) out = `${digits.slice(0, 8)}-${digits.slice(8)}`;
  if (!mask) return out;
  let keep = 4;
  return out
    .split("")
    .reverse()
    .map((c) => (/[0-9A-Za-z]/.test(c) ? (keep-- > 0 ? c : "•") : c))
    .reverse()
    .join("");
}

/** 8 digits (DK CVR) as is, 9 digits (NO) in threes, 10 digits (SE) as `XXXXXX-XXXX`; a country prefix kept. */
export function formatBusinessId(raw: string): string {
  const t = raw.trim().toUpperCase();
  // Written with a dash already (e.g. a Finnish Y-tunnus "1234567-8"): keep it.
  if (t.includes("-")) return t;
  const m = /^([A-Z]{2})?\s*([\d\s]+)$/.exec(t);
  if (!m) return t;
  const prefix = m[1] ?? "";
  const digits = (m[2] ?? "").replace(/\s/g, "");
  let body = digits;
  if (digits.length === 9) body = `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
  else if (digits.length === 10) body = `${digits.slice(0, 6)}-${digits.slice(6)}`;
  else if (digits.length !== 8) return t;
  return prefix + body;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fileOf(v: unknown): FileValue | null {
  if (!isRecord(v)) return typeof v === "string" && v.trim() ? { filename: v.trim(), size: null, url: null } : null;
  if ("value" in v && !("filename" in v) && !("fileName" in v)) return fileOf(v.value);
  const filename =
    typeof v.filename === "string" ? v.filename : typeof v.fileName === "string" ? v.fileName : typeof v.name === "string" ? v.name : null;
  if (!filename) return null;
  const size = typeof v.size === "number" ? v.size : null;
  const url = typeof v.downloadUrl === "string" ? v.downloadUrl : typeof v.url === "string" ? v.url : null;
  return { filename, size, url };
}

/** One value for display. */
export function displayOne(v: unknown, kind: ValueKind, field?: FormField | null, options: DisplayOptions = {}): DisplayValue {
  const raw = valueText(v).trim();
  if (raw === "" && kind !== "file") return { kind: "empty", text: "", raw: "" };
  switch (kind) {
    case "date": {
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(raw);
      if (!m) return { kind: "text", text: raw, raw };
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      if (Number.isNaN(d.getTime())) return { kind: "text", text: raw, raw };
      const text = dateTimeFormat(options.locale, { dateStyle: "medium", timeZone: "UTC" }).format(d);
      return { kind, text, raw };
    }
    case "number": {
      const n = Number(raw.replace(",", "."));
      if (!Number.isFinite(n)) return { kind: "text", text: raw, raw };
      return { kind, text: numberFormat(options.locale, { maximumFractionDigits: 20 }).format(n), raw };
    }
    case "choice": {
      const option = field?.options?.find((o) => o.value === raw);
      return { kind, text: option?.label ?? raw, raw };
    }
    case "nin":
      return { kind, text: formatNin(raw, options.maskNin ?? false), raw };
    case "businessId":
      return { kind, text: formatBusinessId(raw), raw };
    case "file": {
      const file = fileOf(v);
      if (!file) return { kind: "empty", text: "", raw: "" };
      return { kind, text: file.filename, raw: file.filename, file };
    }
    default:
      return { kind, text: raw, raw };
  }
}

/** Every value of an answer for display (one for a plain answer, several for `values[]`). */
export function displayAnswer(entry: AnswerEntry | null, field?: FormField | null, options: DisplayOptions = {}): DisplayValue[] {
  if (!entry) return [];
  const kind = kindOf(entry, field);
  return answerValues(entry)
    .map((v) => displayOne(v, kind, field, options))
    .filter((d) => d.kind !== "empty");
}

/** The answers laid out like the form. */
export interface AnswerLayoutField {
  name: string;
  label: string;
  field: FormField | null;
  entry: AnswerEntry | null;
}

export interface AnswerLayoutSection {
  key: string;
  title: string;
  description: string | null;
  repeated: boolean;
  /** One list of fields per instance (a plain section has one). */
  instances: AnswerLayoutField[][];
  /** True when the section is not in the form definition (answered on another version). */
  extra: boolean;
}

function fieldsOf(section: FormSection | undefined): FormField[] {
  return (section?.fields ?? []).filter((f) => isInputField(f) && !!f.name);
}

export function layoutAnswers(answers: AnswersObject | null | undefined, form?: FormDefinition | null): AnswerLayoutSection[] {
  const byKey = new Map<string, { title: string; repeated: boolean; instances: Map<string, AnswerEntry>[] }>();
  const order: string[] = [];
  (answers?.sections ?? []).forEach((section, si) => {
    const key = sectionKeyIn(section, si, form);
    const slot = byKey.get(key) ?? { title: section.title ?? key, repeated: isRepeatedSection(section), instances: [] };
    instancesOf(section).forEach((entries, ii) => {
      const m = slot.instances[ii] ?? new Map<string, AnswerEntry>();
      for (const e of entries) if (e && typeof e.name === "string") m.set(e.name, e);
      slot.instances[ii] = m;
    });
    if (!byKey.has(key)) order.push(key);
    byKey.set(key, slot);
  });

  const out: AnswerLayoutSection[] = [];
  const build = (key: string, formSection: FormSection | undefined) => {
    const got = byKey.get(key);
    const fields = fieldsOf(formSection);
    const repeated = !!formSection?.multipleEntries || (got?.repeated ?? false);
    const instanceMaps = got?.instances.length ? got.instances : [new Map<string, AnswerEntry>()];
    const instances = instanceMaps.map((m) => {
      const list: AnswerLayoutField[] = fields.map((f) => {
        const name = f.name as string;
        return { name, label: f.label?.trim() || m.get(name)?.label || name, field: f, entry: m.get(name) ?? null };
      });
      for (const [name, entry] of m) {
        if (!fields.some((f) => f.name === name)) list.push({ name, label: entry.label || name, field: null, entry });
      }
      return list;
    });
    out.push({
      key,
      title: formSection?.title || got?.title || key,
      description: formSection?.description ?? null,
      repeated,
      instances: repeated && (got?.instances.length ?? 0) === 0 ? [] : instances,
      extra: !formSection,
    });
  };
  for (const s of form?.sections ?? []) {
    // Sections made only of text blocks have nothing to show.
    if (fieldsOf(s).length === 0 && !(byKey.get(s.slug ?? "")?.instances.some((m) => m.size > 0) ?? false)) continue;
    build(s.slug ?? "", s);
  }
  for (const key of order) if (!form?.sections.some((s) => s.slug === key)) build(key, undefined);
  return out;
}
