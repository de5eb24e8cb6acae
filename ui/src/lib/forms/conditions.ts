// Conditions: which earlier fields a rule may name, and whether a condition holds for given
// answers (the live preview and the prefilled-request dialog use this).
//
// Semantics chosen here, where the contract is silent:
// - a condition holds when EVERY rule holds (an empty or missing condition always holds);
// - a rule compares the referenced field's answer with `value`: numbers numerically, booleans as
//   true/false, everything else as trimmed text; a multi-valued answer (checkbox choice, repeated
//   field) holds when any of its values equals `value`;
// - a field that is hidden, or not answered, makes every rule on it false;
// - inside a repeatable section a rule on a field of the same section reads the same instance;
//   a rule on a field of an earlier repeatable section reads its first instance.

import type { Condition, ConditionRule, FormDefinition, Field as FormField, JsonValue, Section as FormSection } from "../backend";

/** A value a rule compares with, as the builder offers it (the model keeps any JSON). */
export type ConditionValue = Extract<JsonValue, string | number | boolean | null>;

/** An answer in the preview: a value, several values, or nothing yet. */
export type AnswerValue = string | number | boolean | string[] | null | undefined;

/** Answers by section slug → instances (one for a non-repeating section) → field name → value. */
export type PreviewAnswers = Record<string, Array<Record<string, AnswerValue>>>;

function scalarEquals(answer: string | number | boolean, expected: JsonValue): boolean {
  // A list or an object never equals a single answer.
  if (expected === null || typeof expected === "object") return false;
  if (typeof answer === "boolean" || typeof expected === "boolean") {
    const a = typeof answer === "boolean" ? answer : String(answer).trim().toLowerCase();
    const e = typeof expected === "boolean" ? expected : String(expected).trim().toLowerCase();
    const asBool = (v: boolean | string) => (typeof v === "boolean" ? v : v === "true" ? true : v === "false" ? false : null);
    const ab = asBool(a);
    const eb = asBool(e);
    return ab !== null && ab === eb;
  }
  const as = String(answer).trim();
  const es = String(expected).trim();
  if (typeof answer === "number" || typeof expected === "number") {
    if (as === "" || es === "") return false;
    const an = Number(as);
    const en = Number(es);
    if (Number.isFinite(an) && Number.isFinite(en)) return an === en;
  }
  return as === es;
}

/** Whether one rule holds for the answer of the field it names. */
export function ruleHolds(rule: Pick<ConditionRule, "operator" | "value">, answer: AnswerValue): boolean {
  if (rule.operator !== "EQUALS") return false;
  if (answer === null || answer === undefined) return false;
  if (Array.isArray(answer)) return answer.some((a) => scalarEquals(a, rule.value));
  if (typeof answer === "string" && answer.trim() === "") return false;
  return scalarEquals(answer, rule.value);
}

/** Whether a condition holds; `lookup` gives the answer of a visible field by name. */
export function conditionHolds(condition: Condition | null | undefined, lookup: (fieldName: string) => AnswerValue): boolean {
  if (!condition || !Array.isArray(condition.rules) || condition.rules.length === 0) return true;
  return condition.rules.every((rule) => ruleHolds(rule, lookup(rule.field)));
}

/** A field a rule may refer to, with where it sits. */
export interface EarlierField {
  field: FormField;
  name: string;
  section: number;
  index: number;
  sectionTitle: string;
  /** In a repeatable section or itself repeatable: a rule reads its first value. */
  repeatable: boolean;
}

/** Types whose answer a rule can compare. */
export function canBeConditionSource(field: FormField): boolean {
  return field.type !== "HTML" && field.type !== "FILE";
}

/**
 * The fields a condition may name: for a section (`fieldIndex` undefined), every field of the
 * sections before it; for a field, those plus the fields before it in its own section. Only
 * named fields whose answers can be compared.
 */
export function earlierFields(def: Pick<FormDefinition, "sections">, sectionIndex: number, fieldIndex?: number): EarlierField[] {
  const out: EarlierField[] = [];
  def.sections.forEach((section, si) => {
    if (si > sectionIndex) return;
    section.fields.forEach((field, fi) => {
      if (si === sectionIndex && (fieldIndex === undefined || fi >= fieldIndex)) return;
      if (!field.name || !canBeConditionSource(field)) return;
      out.push({
        field,
        name: field.name,
        section: si,
        index: fi,
        sectionTitle: section.title ?? "",
        repeatable: isRepeatable(section) || isRepeatable(field),
      });
    });
  });
  return out;
}

/** The values a rule on this field can take, when they are a fixed list (CHOICE), else null. */
export function possibleValues(field: FormField): Array<{ label: string; value: string }> | null {
  if (field.type !== "CHOICE") return null;
  return (field.options ?? []).map((o) => ({ label: o.label || o.value, value: o.value }));
}

export function isRepeatable(item: Pick<FormSection | FormField, "multipleEntries">): boolean {
  return !!item.multipleEntries && typeof item.multipleEntries.max === "number" && item.multipleEntries.max > 1;
}

export interface SectionVisibility {
  visible: boolean;
  /** One per instance shown (at least one); each holds the visibility of the section's fields by index. */
  instances: Array<{ fields: boolean[] }>;
}

export interface Visibility {
  sections: SectionVisibility[];
}

/** Which sections and fields the signer sees for these answers, applying conditions in order. */
export function computeVisibility(def: Pick<FormDefinition, "sections">, answers: PreviewAnswers): Visibility {
  // Answers of visible fields so far, by name (first instance of a repeatable section).
  const known = new Map<string, AnswerValue>();
  const sections: SectionVisibility[] = [];

  for (const section of def.sections) {
    const visible = conditionHolds(section.condition, (n) => known.get(n));
    const given = answers[section.slug ?? ""] ?? [];
    const count = Math.max(1, given.length);
    const instances: Array<{ fields: boolean[] }> = [];

    for (let i = 0; i < count; i++) {
      const values = given[i] ?? {};
      const local = new Map<string, AnswerValue>();
      const fields = section.fields.map((field) => {
        const shown = visible && conditionHolds(field.condition, (n) => (local.has(n) ? local.get(n) : known.get(n)));
        if (shown && field.name) local.set(field.name, values[field.name]);
        return shown;
      });
      instances.push({ fields });
      if (i === 0) for (const [k, v] of local) known.set(k, v);
    }
    sections.push({ visible, instances });
  }
  return { sections };
}
