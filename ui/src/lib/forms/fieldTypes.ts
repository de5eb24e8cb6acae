// What the builder offers for each kind of field: the field types, layouts and `mapTo` targets
// this app knows, in the order its menus show them, with their labels. The form model itself
// (`FormDefinition`, `Field`, `Section`, …) is generated from Rust into ../bindings.ts; its
// enums stay open (`FieldType` is any string) because a form written by a newer Penneo may carry
// a type this app does not know, and it must round-trip.

import type { ChoiceLayout, Field, FieldType } from "../backend";
import { m } from "../i18n.svelte";

export const FIELD_TYPES = [
  "TEXT",
  "EMAIL",
  "PHONE",
  "NUMBER",
  "DATE",
  "CHOICE",
  "NIN",
  "BUSINESS_ID",
  "FILE",
  "HTML",
] as const satisfies readonly FieldType[];
/** A field type the builder knows. */
export type KnownFieldType = (typeof FIELD_TYPES)[number];

export const CHOICE_LAYOUTS = ["RADIO", "SELECT", "CHECKBOX"] as const satisfies readonly ChoiceLayout[];

/** Where a field's answer may also go (`mapTo`); the contract names these two. */
export const MAP_TO_TARGETS = ["primarySigner.name", "primarySigner.email"] as const;

export function isFieldType(v: unknown): v is KnownFieldType {
  return typeof v === "string" && (FIELD_TYPES as readonly string[]).includes(v);
}

/** HTML fields show text; every other type takes an answer. */
export function isInputField(field: Pick<Field, "type">): boolean {
  return field.type !== "HTML";
}

export interface FieldTypeInfo {
  label: string;
  description: string;
}

const FIELD_TYPE_TEXT: Record<KnownFieldType, () => FieldTypeInfo> = {
  TEXT: () => ({ label: m.forms_type_text(), description: m.forms_type_text_hint() }),
  EMAIL: () => ({ label: m.forms_type_email(), description: m.forms_type_email_hint() }),
  PHONE: () => ({ label: m.forms_type_phone(), description: m.forms_type_phone_hint() }),
  NUMBER: () => ({ label: m.forms_type_number(), description: m.forms_type_number_hint() }),
  DATE: () => ({ label: m.forms_type_date(), description: m.forms_type_date_hint() }),
  CHOICE: () => ({ label: m.forms_type_choice(), description: m.forms_type_choice_hint() }),
  NIN: () => ({ label: m.forms_type_nin(), description: m.forms_type_nin_hint() }),
  BUSINESS_ID: () => ({ label: m.forms_type_business_id(), description: m.forms_type_business_id_hint() }),
  FILE: () => ({ label: m.forms_type_file(), description: m.forms_type_file_hint() }),
  HTML: () => ({ label: m.forms_type_html(), description: m.forms_type_html_hint() }),
};

/** The label and description of a field type in the UI language; a type this app does not know is shown as it is. */
export function fieldTypeInfo(type: FieldType): FieldTypeInfo {
  return isFieldType(type) ? FIELD_TYPE_TEXT[type]() : { label: type, description: m.forms_type_unknown_hint() };
}

/** How a CHOICE field is shown, in the UI language. */
export function choiceLayoutLabel(layout: ChoiceLayout): string {
  switch (layout) {
    case "RADIO":
      return m.forms_layout_radio();
    case "SELECT":
      return m.forms_layout_select();
    case "CHECKBOX":
      return m.forms_layout_checkbox();
    default:
      return layout;
  }
}

/** Built-in merge fields of the casefile title template. */
export const TITLE_TEMPLATE_MERGE_FIELDS = ["formName", "primarySigner.name", "primarySigner.email"] as const;
