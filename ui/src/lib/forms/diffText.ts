// The version comparison in words: the summary line, and each changed setting by its name in
// the UI language with its value as staff read it (field labels, "Yes"/"No", option labels),
// never the form's JSON keys.

import { formatNumber } from "../format";
import { m } from "../i18n.svelte";
import type { DiffCounts, DiffSummary } from "./diff";
import { choiceLayoutLabel, fieldTypeInfo } from "./fieldTypes";

function counts(c: DiffCounts): string {
  const parts: string[] = [];
  if (c.added > 0) parts.push(m.forms_diff_added({ count: formatNumber(c.added) }));
  if (c.removed > 0) parts.push(m.forms_diff_removed({ count: formatNumber(c.removed) }));
  if (c.changed > 0) parts.push(m.forms_diff_changed({ count: formatNumber(c.changed) }));
  return parts.join(", ");
}

/** "Sections: 1 changed. Fields: 1 removed." — empty when nothing differs. */
export function diffSummaryText(s: DiffSummary): string {
  const out: string[] = [];
  if (s.settings) out.push(m.forms_diff_settings_changed());
  const sections = counts(s.sections);
  if (sections) out.push(m.forms_diff_sections({ list: sections }));
  const fields = counts(s.fields);
  if (fields) out.push(m.forms_diff_fields({ list: fields }));
  return out.join(" ");
}

const SETTING_NAMES: Record<string, () => string> = {
  name: () => m.forms_setting_name(),
  description: () => m.forms_setting_description(),
  language: () => m.forms_setting_language(),
  caseFileTitleTemplate: () => m.forms_setting_casefile_title(),
  additionalSignersConfig: () => m.forms_setting_additional_signers(),
  slug: () => m.forms_setting_slug(),
  title: () => m.forms_setting_title(),
  condition: () => m.forms_setting_condition(),
  multipleEntries: () => m.forms_setting_multiple_entries(),
  label: () => m.forms_setting_label(),
  type: () => m.forms_setting_type(),
  required: () => m.forms_setting_required(),
  mapTo: () => m.forms_setting_map_to(),
  validations: () => m.forms_setting_validations(),
  multiline: () => m.forms_setting_multiline(),
  layout: () => m.forms_setting_layout(),
  options: () => m.forms_setting_options(),
  countryCodes: () => m.forms_setting_country_codes(),
  content: () => m.forms_setting_content(),
};

/** A setting's name in the UI language; one this app does not know keeps its key. */
export function settingName(key: string): string {
  return SETTING_NAMES[key]?.() ?? key;
}

const LIMIT_NAMES: Record<string, () => string> = {
  minLength: () => m.forms_limit_min_length(),
  maxLength: () => m.forms_limit_max_length(),
  min: () => m.forms_limit_min(),
  max: () => m.forms_limit_max(),
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function plain(v: unknown): string {
  if (v === undefined || v === null) return "—";
  if (typeof v === "boolean") return v ? m.forms_yes() : m.forms_no();
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return v === "" ? m.forms_value_empty() : v;
  return JSON.stringify(v);
}

/**
 * A setting's value as staff read it. `fieldLabel` names a field by its name (for conditions);
 * `valueLabel` words a value a condition compares with (an option's label).
 */
export function settingValue(
  key: string,
  v: unknown,
  fieldLabel: (name: string) => string = (n) => n,
  valueLabel: (field: string, value: unknown) => string = (_, x) => plain(x),
): string {
  if (v === undefined || v === null) return "—";
  switch (key) {
    case "type":
      return typeof v === "string" ? fieldTypeInfo(v).label : plain(v);
    case "layout":
      return typeof v === "string" ? choiceLayoutLabel(v) : plain(v);
    case "mapTo":
      if (v === "primarySigner.name") return m.forms_map_to_name();
      if (v === "primarySigner.email") return m.forms_map_to_email();
      return plain(v);
    case "options":
      if (Array.isArray(v)) {
        if (v.length === 0) return m.forms_value_none();
        return v.map((o) => (isRecord(o) ? plain(o.label || o.value) : plain(o))).join(", ");
      }
      return plain(v);
    case "countryCodes":
      return Array.isArray(v) ? (v.length ? v.map(plain).join(", ") : m.forms_value_none()) : plain(v);
    case "multipleEntries":
      if (isRecord(v)) return typeof v.max === "number" ? m.forms_value_up_to({ max: formatNumber(v.max) }) : m.forms_yes();
      return plain(v);
    case "validations":
      if (isRecord(v)) {
        const parts = Object.entries(v)
          .filter(([, x]) => x !== null && x !== undefined)
          .map(([k, x]) => `${LIMIT_NAMES[k]?.() ?? k}: ${plain(x)}`);
        return parts.length ? parts.join(", ") : m.forms_value_none();
      }
      return plain(v);
    case "condition":
      if (isRecord(v) && Array.isArray(v.rules)) {
        const rules = v.rules.filter(isRecord).map((r) => {
          const field = typeof r.field === "string" ? r.field : "";
          return m.forms_condition_rule({ field: fieldLabel(field), value: valueLabel(field, r.value) });
        });
        return rules.length ? rules.join(m.forms_condition_and()) : m.forms_value_none();
      }
      return plain(v);
    default:
      return plain(v);
  }
}
