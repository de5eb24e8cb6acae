// What the builder offers for each kind of field: the field types, layouts and `mapTo` targets
// this app knows, in the order its menus show them, with their labels. The form model itself
// (`FormDefinition`, `Field`, `Section`, …) is generated from Rust into ../bindings.ts; its
// enums stay open (`FieldType` is any string) because a form written by a newer Penneo may carry
// a type this app does not know, and it must round-trip.

import type { ChoiceLayout, Field, FieldType } from "../backend";

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

export const FIELD_TYPE_INFO: Record<KnownFieldType, FieldTypeInfo> = {
  TEXT: { label: "Text", description: "A short or long written answer." },
  EMAIL: { label: "Email", description: "An email address." },
  PHONE: { label: "Phone", description: "A phone number with a country code." },
  NUMBER: { label: "Number", description: "A number, optionally within a range." },
  DATE: { label: "Date", description: "A calendar date." },
  CHOICE: { label: "Choice", description: "Pick from options: radio buttons, a list or checkboxes." },
  NIN: { label: "National ID", description: "A national identification number (e.g. CPR)." },
  BUSINESS_ID: { label: "Business ID", description: "A company registration number (e.g. CVR)." },
  FILE: { label: "File", description: "A file the client uploads." },
  HTML: { label: "Text block", description: "Explanatory text; may show earlier answers with {{field}}." },
};

/** The label and description of a field type; a type this app does not know is shown as it is. */
export function fieldTypeInfo(type: FieldType): FieldTypeInfo {
  return isFieldType(type)
    ? FIELD_TYPE_INFO[type]
    : { label: type, description: "A field type this app does not know; it is kept as it is." };
}

/** Built-in merge fields of the casefile title template. */
export const TITLE_TEMPLATE_MERGE_FIELDS = ["formName", "primarySigner.name", "primarySigner.email"] as const;
