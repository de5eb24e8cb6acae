// Edits the builder makes to a definition. They change the definition in place (the builder holds
// it as Svelte state) and keep every key they do not touch.

import { mergeFieldsIn } from "./validate";
import { nameFollowsLabel, suggestFieldName, suggestSlug, type FieldRef } from "./names";
import type { FieldType, FormDefinition, Field as FormField, Section as FormSection } from "../backend";
import { language as uiLanguage, m, type Language } from "../i18n.svelte";

/**
 * The form language (Penneo's code, as the builder's language list has them) a form made in
 * this UI language starts in: Danish staff build Danish forms. Norwegian Bokmål is Penneo's `NO`.
 */
export function formLanguageFor(language: Language): string {
  switch (language) {
    case "da":
      return "DA";
    case "sv":
      return "SV";
    case "nb":
      return "NO";
    default:
      return "EN";
  }
}

/**
 * The UI language whose words a form in this form language gets (a new choice's Yes/No): the
 * inverse of `formLanguageFor`; English for the form languages the UI is not written in.
 */
export function wordsLanguageFor(formLanguage: string | null | undefined): Language {
  switch ((formLanguage ?? "").toUpperCase()) {
    case "DA":
      return "da";
    case "SV":
      return "sv";
    case "NO":
      return "nb";
    default:
      return "en";
  }
}

/** A new form's definition, in the form language of the UI's language unless told otherwise. */
export function emptyForm(language = formLanguageFor(uiLanguage())): FormDefinition {
  return {
    name: "",
    description: "",
    language,
    caseFileTitleTemplate: "{{formName}} – {{primarySigner.name}}",
    sections: [],
  };
}

/** Moves `arr[from]` to index `to` (clamped). Returns the new index. */
export function moveItem<T>(arr: T[], from: number, to: number): number {
  if (from < 0 || from >= arr.length) return from;
  const target = Math.max(0, Math.min(arr.length - 1, to));
  if (target === from) return from;
  const [item] = arr.splice(from, 1);
  arr.splice(target, 0, item as T);
  return target;
}

export function addSection(def: FormDefinition, title = "", at = def.sections.length): FormSection {
  const section: FormSection = {
    slug: suggestSlug(title || `Section ${def.sections.length + 1}`, def),
    title,
    description: "",
    fields: [],
  };
  def.sections.splice(at, 0, section);
  return section;
}

/** Sets a section's title; the slug follows while it is still the one derived from the old title. */
export function setSectionTitle(def: FormDefinition, si: number, title: string): void {
  const section = def.sections[si];
  if (!section) return;
  const follows =
    !section.slug ||
    section.slug === suggestSlug(section.title ?? "", def, si) ||
    (!(section.title ?? "").trim() && /^section(-\d+){0,2}$/.test(section.slug));
  if (follows) section.slug = suggestSlug(title || `Section ${si + 1}`, def, si);
  section.title = title;
}

/** A removed section or field, to put back with `restore`. */
export interface Removed<T> {
  item: T;
  index: number;
  /** For a field: the section it was in (by slug, since indexes move). */
  sectionSlug?: string;
}

export function removeSection(def: FormDefinition, si: number): Removed<FormSection> | null {
  const [item] = def.sections.splice(si, 1);
  return item ? { item, index: si } : null;
}

export function restoreSection(def: FormDefinition, removed: Removed<FormSection>): void {
  def.sections.splice(Math.min(removed.index, def.sections.length), 0, removed.item);
}

/**
 * Defaults a new field of each type starts with. A choice's Yes/No are worded in the form's
 * language (what the client reads), not the UI's: an English form built in a Danish window gets
 * Yes/No.
 */
export function fieldDefaults(type: FieldType, formLanguage?: string | null): Partial<FormField> {
  const locale = wordsLanguageFor(formLanguage);
  switch (type) {
    case "TEXT":
      return { multiline: false };
    case "CHOICE":
      return {
        layout: "RADIO",
        options: [
          { label: m.forms_yes({}, { locale }), value: "yes" },
          { label: m.forms_no({}, { locale }), value: "no" },
        ],
      };
    case "PHONE":
      return { countryCodes: ["DK"] };
    case "HTML":
      return { content: "" };
    default:
      return {};
  }
}

export function addField(def: FormDefinition, si: number, type: FieldType, label = "", at?: number): FormField | null {
  const section = def.sections[si];
  if (!section) return null;
  const index = at ?? section.fields.length;
  const field: FormField = { type, label, required: false, ...fieldDefaults(type, def.language) };
  if (type !== "HTML") field.name = suggestFieldName(label || type.toLowerCase(), def);
  if (type === "HTML") delete field.required;
  section.fields.splice(index, 0, field);
  return field;
}

/** Sets a field's label; the name follows while it is still the one derived from the old label. */
export function setFieldLabel(def: FormDefinition, ref: FieldRef, label: string): void {
  const field = def.sections[ref.section]?.fields[ref.field];
  if (!field) return;
  const oldLabel = field.label || field.type.toLowerCase();
  if (field.type !== "HTML" && nameFollowsLabel(field.name ?? undefined, oldLabel, def, ref)) {
    const next = suggestFieldName(label || field.type.toLowerCase(), def, ref);
    if (field.name && field.name !== next) renameField(def, field.name, next);
    else field.name = next;
  }
  field.label = label;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Renames a field and every reference to it: condition rules, `{{name}}` in text blocks and in
 * the casefile title template.
 */
export function renameField(def: FormDefinition, from: string, to: string): void {
  if (from === to) return;
  const merge = new RegExp(`\\{\\{\\s*${escapeRegExp(from)}\\s*\\}\\}`, "g");
  const fixRules = (item: FormSection | FormField) => {
    for (const rule of item.condition?.rules ?? []) if (rule.field === from) rule.field = to;
  };
  for (const section of def.sections) {
    fixRules(section);
    for (const field of section.fields) {
      if (field.name === from) field.name = to;
      fixRules(field);
      if (field.type === "HTML" && typeof field.content === "string" && mergeFieldsIn(field.content).includes(from)) {
        field.content = field.content.replace(merge, `{{${to}}}`);
      }
    }
  }
  if (typeof def.caseFileTitleTemplate === "string") {
    def.caseFileTitleTemplate = def.caseFileTitleTemplate.replace(merge, `{{${to}}}`);
  }
}

/** Changes a field's type, adding the new type's defaults without dropping other settings. */
export function changeFieldType(def: FormDefinition, ref: FieldRef, type: FieldType): void {
  const field = def.sections[ref.section]?.fields[ref.field];
  if (!field || field.type === type) return;
  const defaults = fieldDefaults(type, def.language);
  for (const [k, v] of Object.entries(defaults)) if (field[k] === undefined) field[k] = v;
  if (field.mapTo === "primarySigner.email" && type !== "EMAIL") field.mapTo = null;
  if (field.mapTo && type !== "TEXT" && type !== "EMAIL") field.mapTo = null;
  if (type !== "HTML" && !field.name) field.name = suggestFieldName(field.label || type.toLowerCase(), def, ref);
  field.type = type;
}

export function removeField(def: FormDefinition, ref: FieldRef): Removed<FormField> | null {
  const section = def.sections[ref.section];
  if (!section) return null;
  const [item] = section.fields.splice(ref.field, 1);
  return item ? { item, index: ref.field, sectionSlug: section.slug ?? undefined } : null;
}

export function restoreField(def: FormDefinition, removed: Removed<FormField>): void {
  const section = def.sections.find((s) => s.slug === removed.sectionSlug) ?? def.sections[0];
  if (!section) return;
  section.fields.splice(Math.min(removed.index, section.fields.length), 0, removed.item);
}

/** Moves a field within its section or to another one. Returns its new position. */
export function moveField(def: FormDefinition, from: FieldRef, to: FieldRef): FieldRef {
  const source = def.sections[from.section];
  const target = def.sections[to.section];
  if (!source || !target || !source.fields[from.field]) return from;
  if (from.section === to.section) {
    return { section: from.section, field: moveItem(source.fields, from.field, to.field) };
  }
  const [item] = source.fields.splice(from.field, 1);
  const index = Math.max(0, Math.min(target.fields.length, to.field));
  target.fields.splice(index, 0, item as FormField);
  return { section: to.section, field: index };
}

/** A deep copy, as JSON: what a draft or a duplicate starts from. */
export function cloneDefinition<T extends FormDefinition>(def: T): T {
  return JSON.parse(JSON.stringify(def)) as T;
}
