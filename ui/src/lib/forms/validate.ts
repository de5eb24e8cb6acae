// Validation of a form definition, mirroring the rules of docs/penneo-contract.md so the
// builder can show each message next to the part at fault before anything is sent.
//
// Severity "error": the server rejects the definition (a contract rule). Severity "warning": the
// server would accept it but the form will not work as the author probably means (e.g. a field
// without a label); warnings never block saving.
//
// Paths name the part at fault: "name", "caseFileTitleTemplate", "sections[1].slug",
// "sections[1].fields[0].name", "sections[1].fields[0].condition.rules[0].value",
// "sections[1].fields[2].options[3].value", …

import { canBeConditionSource, isRepeatable } from "./conditions";
import { FIELD_NAME_PATTERN } from "./names";
import type { Condition, FormDefinition, Field as FormField, Section as FormSection } from "../backend";
import { CHOICE_LAYOUTS, MAP_TO_TARGETS, TITLE_TEMPLATE_MERGE_FIELDS, fieldTypeInfo, isFieldType } from "./fieldTypes";
import { m } from "../i18n.svelte";

export type Severity = "error" | "warning";

export interface ValidationIssue {
  /** Where the problem is (see the file comment). */
  path: string;
  severity: Severity;
  /** Stable identifier of the rule, e.g. "field.name.duplicate". */
  code: string;
  /** A sentence for the person, shown next to the part at fault. */
  message: string;
  /** Which section and field, for a summary list: `Section "Company" › field "vat_number"`. */
  where: string;
}

export function sectionPath(si: number): string {
  return `sections[${si}]`;
}

export function fieldPath(si: number, fi: number): string {
  return `sections[${si}].fields[${fi}]`;
}

/** `{{ name }}` merge fields in a text, trimmed, in order of appearance. */
export function mergeFieldsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) out.push(m[1] ?? "");
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function hasRules(condition: Condition | null | undefined): boolean {
  return !!condition && Array.isArray(condition.rules) && condition.rules.length > 0;
}

function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

interface Located {
  field: FormField;
  section: FormSection;
  si: number;
  fi: number;
}

function describeSection(section: FormSection | undefined, si: number): string {
  const title = section?.title?.trim() || section?.slug?.trim();
  return title ? m.forms_where_section({ title }) : m.forms_where_section_number({ number: String(si + 1) });
}

function describeField(field: FormField, fi: number): string {
  if (field.name) return m.forms_where_field({ name: field.name });
  if (field.label?.trim()) return m.forms_where_field({ name: field.label.trim() });
  return m.forms_where_field_number({ number: String(fi + 1) });
}

/** Validates a whole definition. Issues come in document order. */
export function validateForm(def: FormDefinition): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, severity: Severity, code: string, message: string, where: string) =>
    issues.push({ path, severity, code, message, where });

  // ---- form level
  if (typeof def.name !== "string" || def.name.trim() === "") {
    add("name", "error", "form.name.required", m.forms_issue_form_name_required(), m.forms_diff_form_settings());
  }
  if (!Array.isArray(def.sections)) {
    add("sections", "error", "form.sections.invalid", m.forms_issue_form_sections_invalid(), m.forms_diff_form_settings());
    return issues;
  }
  if (def.sections.length === 0) {
    add("sections", "warning", "form.sections.empty", m.forms_issue_form_sections_empty(), m.forms_diff_form_settings());
  }

  // Every named field with its position, for look-ups by name.
  const byName = new Map<string, Located>();
  def.sections.forEach((section, si) => {
    if (!isRecord(section) || !Array.isArray(section.fields)) return;
    section.fields.forEach((field, fi) => {
      if (isRecord(field) && typeof field.name === "string" && field.name && !byName.has(field.name)) {
        byName.set(field.name, { field, section, si, fi });
      }
    });
  });
  const isEarlier = (ref: Located, si: number, fi: number | undefined) => ref.si < si || (fi !== undefined && ref.si === si && ref.fi < fi);

  // ---- casefile title template
  if (typeof def.caseFileTitleTemplate === "string") {
    for (const mf of mergeFieldsIn(def.caseFileTitleTemplate)) {
      const builtin = (TITLE_TEMPLATE_MERGE_FIELDS as readonly string[]).includes(mf);
      if (!builtin && !byName.has(mf)) {
        add(
          "caseFileTitleTemplate",
          "warning",
          "form.titleTemplate.unknownMergeField",
          m.forms_issue_form_title_template_unknown_merge_field({ merge: `{{${mf}}}`, builtins: TITLE_TEMPLATE_MERGE_FIELDS.join(", ") }),
          m.forms_diff_form_settings(),
        );
      }
    }
  }

  const checkMultipleEntries = (me: unknown, path: string, where: string) => {
    if (me === null || me === undefined) return;
    if (!isRecord(me) || typeof me.max !== "number" || !Number.isInteger(me.max) || me.max < 1) {
      add(`${path}.multipleEntries.max`, "error", "multipleEntries.max.invalid", m.forms_issue_multiple_entries_max_invalid(), where);
    }
  };

  const checkCondition = (condition: Condition | null | undefined, path: string, where: string, si: number, fi: number | undefined) => {
    if (condition === null || condition === undefined) return;
    const cpath = `${path}.condition`;
    if (!isRecord(condition) || !Array.isArray(condition.rules)) {
      add(cpath, "error", "condition.invalid", m.forms_issue_condition_invalid(), where);
      return;
    }
    if (condition.rules.length === 0) {
      add(cpath, "error", "condition.empty", m.forms_issue_condition_empty(), where);
      return;
    }
    condition.rules.forEach((rule, ri) => {
      const rpath = `${cpath}.rules[${ri}]`;
      if (!isRecord(rule)) {
        add(rpath, "error", "condition.rule.invalid", m.forms_issue_condition_rule_invalid(), where);
        return;
      }
      if (rule.operator !== "EQUALS") {
        add(
          `${rpath}.operator`,
          "error",
          "condition.rule.operator",
          m.forms_issue_condition_rule_operator({ got: JSON.stringify(rule.operator) }),
          where,
        );
      }
      if (typeof rule.field !== "string" || rule.field === "") {
        add(`${rpath}.field`, "error", "condition.rule.field.required", m.forms_issue_condition_rule_field_required(), where);
        return;
      }
      const ref = byName.get(rule.field);
      if (!ref) {
        add(
          `${rpath}.field`,
          "error",
          "condition.rule.field.unknown",
          m.forms_issue_condition_rule_field_unknown({ field: rule.field }),
          where,
        );
        return;
      }
      if (!isEarlier(ref, si, fi)) {
        add(
          `${rpath}.field`,
          "error",
          "condition.rule.field.notEarlier",
          m.forms_issue_condition_rule_field_not_earlier({ field: rule.field }),
          where,
        );
        return;
      }
      if (!canBeConditionSource(ref.field)) {
        add(
          `${rpath}.field`,
          "error",
          "condition.rule.field.type",
          m.forms_issue_condition_rule_field_type({ field: rule.field, type: fieldTypeInfo(ref.field.type).label.toLowerCase() }),
          where,
        );
        return;
      }
      if (isRepeatable(ref.section) && ref.si !== si) {
        add(
          `${rpath}.field`,
          "warning",
          "condition.rule.field.repeatable",
          m.forms_issue_condition_rule_field_repeatable({ field: rule.field }),
          where,
        );
      }
      const valueMessage = conditionValueProblem(ref.field, rule.value);
      if (valueMessage) add(`${rpath}.value`, "error", "condition.rule.value", valueMessage, where);
    });
  };

  // ---- sections
  const seenSlugs = new Set<string>();
  const mapToSeen = new Map<string, string>();
  const seenNames = new Set<string>();

  def.sections.forEach((section, si) => {
    const spath = sectionPath(si);
    const swhere = describeSection(section, si);
    if (!isRecord(section)) {
      add(spath, "error", "section.invalid", m.forms_issue_section_invalid(), swhere);
      return;
    }
    if (typeof section.slug !== "string" || section.slug.trim() === "") {
      add(`${spath}.slug`, "error", "section.slug.required", m.forms_issue_section_slug_required(), swhere);
    } else if (seenSlugs.has(section.slug)) {
      add(`${spath}.slug`, "error", "section.slug.duplicate", m.forms_issue_section_slug_duplicate({ slug: section.slug }), swhere);
    } else {
      seenSlugs.add(section.slug);
    }
    if (typeof section.title !== "string" || section.title.trim() === "") {
      add(`${spath}.title`, "warning", "section.title.empty", m.forms_issue_section_title_empty(), swhere);
    }
    checkMultipleEntries(section.multipleEntries, spath, swhere);
    checkCondition(section.condition, spath, swhere, si, undefined);

    if (!Array.isArray(section.fields)) {
      add(`${spath}.fields`, "error", "section.fields.invalid", m.forms_issue_section_fields_invalid(), swhere);
      return;
    }
    if (section.fields.length === 0) {
      add(`${spath}.fields`, "warning", "section.fields.empty", m.forms_issue_section_fields_empty(), swhere);
    }

    // ---- fields
    section.fields.forEach((field, fi) => {
      const fpath = fieldPath(si, fi);
      const fwhere = `${swhere} › ${isRecord(field) ? describeField(field, fi) : m.forms_where_field_number({ number: String(fi + 1) })}`;
      if (!isRecord(field)) {
        add(fpath, "error", "field.invalid", m.forms_issue_field_invalid(), fwhere);
        return;
      }
      if (!isFieldType(field.type)) {
        add(`${fpath}.type`, "error", "field.type.unknown", m.forms_issue_field_type_unknown({ type: JSON.stringify(field.type) }), fwhere);
        return;
      }
      const isHtml = field.type === "HTML";

      // name
      if (field.name === undefined || field.name === null || field.name === "") {
        if (!isHtml) add(`${fpath}.name`, "error", "field.name.required", m.forms_issue_field_name_required(), fwhere);
      } else if (typeof field.name !== "string" || !FIELD_NAME_PATTERN.test(field.name)) {
        add(`${fpath}.name`, "error", "field.name.pattern", m.forms_issue_field_name_pattern(), fwhere);
      } else if (seenNames.has(field.name)) {
        add(`${fpath}.name`, "error", "field.name.duplicate", m.forms_issue_field_name_duplicate({ name: field.name }), fwhere);
      } else {
        seenNames.add(field.name);
      }

      // label
      if (!isHtml && (typeof field.label !== "string" || field.label.trim() === "")) {
        add(`${fpath}.label`, "warning", "field.label.empty", m.forms_issue_field_label_empty(), fwhere);
      }

      // mapTo
      if (field.mapTo !== undefined && field.mapTo !== null) {
        const target = field.mapTo as unknown;
        if (typeof target !== "string" || !(MAP_TO_TARGETS as readonly string[]).includes(target)) {
          add(
            `${fpath}.mapTo`,
            "error",
            "field.mapTo.unknown",
            m.forms_issue_field_map_to_unknown({ targets: MAP_TO_TARGETS.join(", ") }),
            fwhere,
          );
        } else if (target === "primarySigner.email" && field.type !== "EMAIL") {
          add(`${fpath}.mapTo`, "error", "field.mapTo.emailType", m.forms_issue_field_map_to_email_type(), fwhere);
        } else if (field.type !== "TEXT" && field.type !== "EMAIL") {
          add(`${fpath}.mapTo`, "error", "field.mapTo.type", m.forms_issue_field_map_to_type(), fwhere);
        } else {
          const earlier = mapToSeen.get(target);
          if (earlier) {
            add(`${fpath}.mapTo`, "warning", "field.mapTo.duplicate", m.forms_issue_field_map_to_duplicate({ earlier, target }), fwhere);
          } else {
            mapToSeen.set(target, field.name ?? `field ${fi + 1}`);
          }
          if (isRepeatable(section) || isRepeatable(field)) {
            add(`${fpath}.mapTo`, "warning", "field.mapTo.repeatable", m.forms_issue_field_map_to_repeatable(), fwhere);
          }
        }
      }

      checkCondition(field.condition, fpath, fwhere, si, fi);
      checkMultipleEntries(field.multipleEntries, fpath, fwhere);
      if (isHtml && field.multipleEntries) {
        add(`${fpath}.multipleEntries`, "warning", "field.multipleEntries.html", m.forms_issue_field_multiple_entries_html(), fwhere);
      }

      // type-specific settings
      const v = field.validations;
      switch (field.type) {
        case "TEXT": {
          if (isRecord(v)) {
            const { minLength, maxLength } = v;
            if (minLength !== undefined && minLength !== null && !isNonNegInt(minLength)) {
              add(`${fpath}.validations.minLength`, "error", "field.minLength.invalid", m.forms_issue_field_min_length_invalid(), fwhere);
            }
            if (maxLength !== undefined && maxLength !== null && (!isNonNegInt(maxLength) || maxLength < 1)) {
              add(`${fpath}.validations.maxLength`, "error", "field.maxLength.invalid", m.forms_issue_field_max_length_invalid(), fwhere);
            }
            if (isNonNegInt(minLength) && isNonNegInt(maxLength) && minLength > maxLength) {
              add(
                `${fpath}.validations.maxLength`,
                "error",
                "field.length.range",
                m.forms_issue_field_length_range({ max: String(maxLength), min: String(minLength) }),
                fwhere,
              );
            }
          }
          break;
        }
        case "NUMBER": {
          if (isRecord(v)) {
            const { min, max } = v;
            const ok = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n);
            if (min !== undefined && min !== null && !ok(min)) {
              add(`${fpath}.validations.min`, "error", "field.min.invalid", m.forms_issue_field_min_invalid(), fwhere);
            }
            if (max !== undefined && max !== null && !ok(max)) {
              add(`${fpath}.validations.max`, "error", "field.max.invalid", m.forms_issue_field_max_invalid(), fwhere);
            }
            if (ok(min) && ok(max) && min > max) {
              add(
                `${fpath}.validations.max`,
                "error",
                "field.number.range",
                m.forms_issue_field_number_range({ max: String(max), min: String(min) }),
                fwhere,
              );
            }
          }
          break;
        }
        case "CHOICE": {
          if (field.layout !== undefined && field.layout !== null && !(CHOICE_LAYOUTS as readonly string[]).includes(field.layout)) {
            add(
              `${fpath}.layout`,
              "error",
              "field.layout.invalid",
              m.forms_issue_field_layout_invalid({ layouts: CHOICE_LAYOUTS.join(", ") }),
              fwhere,
            );
          }
          if (!Array.isArray(field.options) || field.options.length === 0) {
            add(`${fpath}.options`, "error", "field.options.empty", m.forms_issue_field_options_empty(), fwhere);
            break;
          }
          const values = new Set<string>();
          field.options.forEach((option, oi) => {
            const opath = `${fpath}.options[${oi}]`;
            if (!isRecord(option)) {
              add(opath, "error", "field.option.invalid", m.forms_issue_field_option_invalid(), fwhere);
              return;
            }
            if (typeof option.label !== "string" || option.label.trim() === "") {
              add(
                `${opath}.label`,
                "error",
                "field.option.label.required",
                m.forms_issue_field_option_label_required({ number: String(oi + 1) }),
                fwhere,
              );
            }
            if (typeof option.value !== "string" || option.value.trim() === "") {
              add(
                `${opath}.value`,
                "error",
                "field.option.value.required",
                m.forms_issue_field_option_value_required({ number: String(oi + 1) }),
                fwhere,
              );
            } else if (values.has(option.value)) {
              add(
                `${opath}.value`,
                "error",
                "field.option.value.duplicate",
                m.forms_issue_field_option_value_duplicate({ value: option.value }),
                fwhere,
              );
            } else {
              values.add(option.value);
            }
          });
          break;
        }
        case "PHONE": {
          const codes = field.countryCodes;
          if (codes !== undefined && codes !== null) {
            if (!Array.isArray(codes) || codes.some((c) => typeof c !== "string" || c.trim() === "")) {
              add(`${fpath}.countryCodes`, "error", "field.countryCodes.invalid", m.forms_issue_field_country_codes_invalid(), fwhere);
            } else if (new Set(codes).size !== codes.length) {
              add(
                `${fpath}.countryCodes`,
                "warning",
                "field.countryCodes.duplicate",
                m.forms_issue_field_country_codes_duplicate(),
                fwhere,
              );
            }
          }
          break;
        }
        case "HTML": {
          const content = typeof field.content === "string" ? field.content : "";
          if (content.trim() === "") {
            add(`${fpath}.content`, "warning", "field.content.empty", m.forms_issue_field_content_empty(), fwhere);
          }
          for (const mf of mergeFieldsIn(content)) {
            const ref = byName.get(mf);
            if (!ref) {
              add(
                `${fpath}.content`,
                "error",
                "field.content.mergeField.unknown",
                m.forms_issue_field_content_merge_field_unknown({ merge: `{{${mf}}}` }),
                fwhere,
              );
            } else if (!isEarlier(ref, si, fi)) {
              add(
                `${fpath}.content`,
                "error",
                "field.content.mergeField.notEarlier",
                m.forms_issue_field_content_merge_field_not_earlier({ merge: `{{${mf}}}` }),
                fwhere,
              );
            } else if (ref.field.type === "HTML") {
              add(
                `${fpath}.content`,
                "error",
                "field.content.mergeField.html",
                m.forms_issue_field_content_merge_field_html({ merge: `{{${mf}}}` }),
                fwhere,
              );
            } else if (ref.field.required !== true) {
              add(
                `${fpath}.content`,
                "error",
                "field.content.mergeField.optional",
                m.forms_issue_field_content_merge_field_optional({ merge: `{{${mf}}}` }),
                fwhere,
              );
            } else if (hasRules(ref.field.condition) || hasRules(ref.section.condition)) {
              add(
                `${fpath}.content`,
                "error",
                "field.content.mergeField.conditional",
                m.forms_issue_field_content_merge_field_conditional({ merge: `{{${mf}}}` }),
                fwhere,
              );
            } else if (isRepeatable(ref.section) || isRepeatable(ref.field)) {
              add(
                `${fpath}.content`,
                "warning",
                "field.content.mergeField.repeatable",
                m.forms_issue_field_content_merge_field_repeatable({ merge: `{{${mf}}}` }),
                fwhere,
              );
            }
          }
          break;
        }
        default:
          break;
      }
    });
  });

  return issues;
}

/** Why `value` cannot be compared with an answer of `field`, or null when it can. */
export function conditionValueProblem(field: FormField, value: unknown): string | null {
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) {
    return m.forms_issue_rule_value_missing();
  }
  if (typeof value === "object") return m.forms_issue_rule_value_single();
  switch (field.type) {
    case "CHOICE": {
      const options = (field.options ?? []).map((o) => o.value);
      if (!options.includes(String(value))) {
        return m.forms_issue_rule_value_option({ value: String(value), field: field.name ?? "" });
      }
      return null;
    }
    case "NUMBER":
      if (typeof value === "boolean" || !Number.isFinite(Number(value))) return m.forms_issue_rule_value_number();
      return null;
    case "DATE":
      if (typeof value !== "string" || !isIsoDate(value)) return m.forms_issue_rule_value_date();
      return null;
    default:
      if (typeof value === "boolean") return m.forms_issue_rule_value_text();
      return null;
  }
}

export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((i) => i.severity === "error");
}

/** Issues exactly at `path`. */
export function issuesAt(issues: readonly ValidationIssue[], path: string): ValidationIssue[] {
  return issues.filter((i) => i.path === path);
}

/** Issues at `path` or anywhere inside it (`sections[0]` covers its fields). */
export function issuesUnder(issues: readonly ValidationIssue[], path: string): ValidationIssue[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(path + ".") || i.path.startsWith(path + "["));
}

/**
 * Places an error from the server (a `400` whose message names the section and field, or a
 * backend error with a `field`) on the builder's paths so it shows beside the part at fault.
 * `field` may be one of our paths, a field name or a section slug; otherwise the message is
 * searched for a field name, then a section slug. Falls back to the form level ("").
 */
export function locateServerIssue(def: FormDefinition, error: { message: string; field?: string | null | undefined }): ValidationIssue {
  const names: Array<{ token: string; path: string; where: string }> = [];
  const slugs: Array<{ token: string; path: string; where: string }> = [];
  def.sections.forEach((section, si) => {
    if (section.slug) slugs.push({ token: section.slug, path: sectionPath(si), where: describeSection(section, si) });
    section.fields.forEach((field, fi) => {
      if (field.name) {
        names.push({
          token: field.name,
          path: fieldPath(si, fi),
          where: `${describeSection(section, si)} › ${describeField(field, fi)}`,
        });
      }
    });
  });
  const issue = (path: string, where: string): ValidationIssue => ({
    path,
    where,
    severity: "error",
    code: "server",
    message: error.message,
  });

  const hint = error.field?.trim();
  if (hint) {
    if (/^(name|description|language|caseFileTitleTemplate|sections)$|^sections\[\d+\]/.test(hint)) {
      return issue(hint, hint.startsWith("sections[") ? hint : m.forms_diff_form_settings());
    }
    const byField = names.find((n) => n.token === hint);
    if (byField) return issue(byField.path, byField.where);
    const bySlug = slugs.find((s) => s.token === hint);
    if (bySlug) return issue(bySlug.path, bySlug.where);
  }

  const mentions = (token: string) =>
    new RegExp(`(^|[^A-Za-z0-9_-])${token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9_-])`).test(error.message);
  // Longest first, so "email" does not win over "email_confirm".
  const field = [...names].sort((a, b) => b.token.length - a.token.length).find((n) => mentions(n.token));
  if (field) return issue(field.path, field.where);
  const section = [...slugs].sort((a, b) => b.token.length - a.token.length).find((s) => mentions(s.token));
  if (section) return issue(section.path, section.where);
  return issue("", m.forms_page_heading());
}
