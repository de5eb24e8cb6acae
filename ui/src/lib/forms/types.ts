// The form definition as docs/penneo-contract.md describes it ("Objects" and "Field types").
//
// Every object keeps the keys this app does not know: each interface extends `Extra`, so a form read
// from the server and written back (after an edit) loses nothing. Code that builds a changed copy
// must spread the original (`{ ...field, label }`) rather than pick known keys.

/** Unknown keys, kept as they came. */
export interface Extra {
  [key: string]: unknown;
}

export const FORM_STATUSES = ["DRAFT", "ACTIVE", "ARCHIVED"] as const;
export type FormStatus = (typeof FORM_STATUSES)[number];

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
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const CHOICE_LAYOUTS = ["RADIO", "SELECT", "CHECKBOX"] as const;
export type ChoiceLayout = (typeof CHOICE_LAYOUTS)[number];

export const MAP_TO_TARGETS = ["primarySigner.name", "primarySigner.email"] as const;
export type MapTo = (typeof MAP_TO_TARGETS)[number];

/** The only operator the contract knows. */
export type ConditionOperator = "EQUALS";

/** A condition value: what a field's answer is compared with. */
export type ConditionValue = string | number | boolean | null;

export interface ConditionRule extends Extra {
  /** The `name` of an earlier field. */
  field: string;
  operator: ConditionOperator;
  value: ConditionValue;
}

/** Shown only when every rule holds. */
export interface Condition extends Extra {
  rules: ConditionRule[];
}

export interface MultipleEntries extends Extra {
  max: number;
}

export interface ChoiceOption extends Extra {
  label: string;
  value: string;
}

export interface TextValidations extends Extra {
  minLength?: number | null;
  maxLength?: number | null;
}

export interface NumberValidations extends Extra {
  min?: number | null;
  max?: number | null;
}

/**
 * One field. A single shape for every type (rather than a union) so that changing a field's type
 * in the builder keeps its other settings, and a type this app does not know still round-trips.
 */
export interface FormField extends Extra {
  type: FieldType;
  /** Unique in the form, `^[a-z][a-z0-9_]*$`. HTML fields may leave it out. */
  name?: string;
  label?: string;
  required?: boolean;
  mapTo?: MapTo | null;
  condition?: Condition | null;
  multipleEntries?: MultipleEntries | null;
  /** TEXT */
  multiline?: boolean;
  /** TEXT: minLength / maxLength; NUMBER: min / max. */
  validations?: (TextValidations & NumberValidations) | null;
  /** PHONE */
  countryCodes?: string[] | null;
  /** CHOICE */
  layout?: ChoiceLayout;
  options?: ChoiceOption[];
  /** HTML: may hold `{{fieldName}}` merge fields. */
  content?: string;
}

export interface FormSection extends Extra {
  /** Unique in the form; keys prefilled answers. */
  slug: string;
  title: string;
  description?: string | null;
  condition?: Condition | null;
  multipleEntries?: MultipleEntries | null;
  fields: FormField[];
}

/** What the builder edits and create/update send. */
export interface FormDefinition extends Extra {
  name: string;
  description?: string | null;
  language?: string | null;
  caseFileTitleTemplate?: string | null;
  /** Opaque: kept and sent back unchanged. */
  additionalSignersConfig?: unknown;
  sections: FormSection[];
}

/** A form as the server returns it. `id`, `formId` and (older servers) `externalId` hold the same value. */
export interface Form extends FormDefinition {
  id?: string;
  formId?: string;
  externalId?: string;
  status: FormStatus;
  version: number;
  publicUrl?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** The form's id, whichever of the three keys carried it. */
export function formIdOf(form: Pick<Form, "id" | "formId" | "externalId">): string | null {
  return form.formId ?? form.id ?? form.externalId ?? null;
}

export function isFieldType(v: unknown): v is FieldType {
  return typeof v === "string" && (FIELD_TYPES as readonly string[]).includes(v);
}

/** HTML fields show text; every other type takes an answer. */
export function isInputField(field: Pick<FormField, "type">): boolean {
  return field.type !== "HTML";
}

export interface FieldTypeInfo {
  label: string;
  description: string;
}

export const FIELD_TYPE_INFO: Record<FieldType, FieldTypeInfo> = {
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

/** Built-in merge fields of the casefile title template. */
export const TITLE_TEMPLATE_MERGE_FIELDS = ["formName", "primarySigner.name", "primarySigner.email"] as const;
