// Field names and section slugs: derived from what the user types, kept unique, editable.

import type { FormDefinition } from "../backend";
import { m } from "../i18n.svelte";

/** The contract's pattern for a field `name`. */
export const FIELD_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Longest name the builder derives (a typed name may be longer; the server sets no limit). */
export const MAX_DERIVED_LENGTH = 48;

// Letters that Unicode decomposition does not turn into ASCII, spelled the way Nordic and German
// users would write them in ASCII.
const TRANSLITERATION: Record<string, string> = {
  æ: "ae",
  ø: "oe",
  å: "aa",
  ß: "ss",
  œ: "oe",
  ð: "d",
  þ: "th",
  ł: "l",
  đ: "d",
  ı: "i",
};

/** Lower-case ASCII words of `text`: diacritics dropped, everything else a separator. */
function asciiWords(text: string): string[] {
  const lowered = text.toLowerCase().replace(/[æøåßœðþłđı]/g, (c) => TRANSLITERATION[c] ?? c);
  const stripped = lowered.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  return stripped.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

function truncateWords(words: string[], sep: string, max: number): string {
  let out = "";
  for (const w of words) {
    const next = out ? out + sep + w : w;
    if (next.length > max) {
      if (!out) return w.slice(0, max);
      break;
    }
    out = next;
  }
  return out;
}

/**
 * A field name from a label: "Company name (legal)" → "company_name_legal", "Ægtefælles CPR" →
 * "aegtefaelles_cpr", "2nd address" → "field_2nd_address", "" → "field". Always matches
 * `FIELD_NAME_PATTERN`.
 */
export function deriveFieldName(label: string): string {
  let name = truncateWords(asciiWords(label), "_", MAX_DERIVED_LENGTH);
  if (!name) return "field";
  if (!/^[a-z]/.test(name)) name = truncateWords(["field", name], "_", MAX_DERIVED_LENGTH + 6);
  return name;
}

/** A section slug from a title: "Beneficial owners" → "beneficial-owners"; "" → "section". */
export function deriveSlug(title: string): string {
  let slug = truncateWords(asciiWords(title), "-", MAX_DERIVED_LENGTH);
  if (!slug) return "section";
  if (!/^[a-z]/.test(slug)) slug = "section-" + slug;
  return slug;
}

/** `base`, or `base_2`, `base_3`, … (with `sep`) — the first one not in `taken`. */
export function makeUnique(base: string, taken: Iterable<string>, sep = "_"): string {
  const set = new Set(taken);
  if (!set.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}${sep}${i}`;
    if (!set.has(candidate)) return candidate;
  }
}

/** Position of a field: section index and field index. */
export interface FieldRef {
  section: number;
  field: number;
}

/** Every field name in the form, except the field at `except`. */
export function fieldNamesInForm(def: Pick<FormDefinition, "sections">, except?: FieldRef): string[] {
  const names: string[] = [];
  def.sections.forEach((section, si) => {
    section.fields.forEach((field, fi) => {
      if (except && except.section === si && except.field === fi) return;
      if (typeof field.name === "string" && field.name) names.push(field.name);
    });
  });
  return names;
}

/** Every section slug in the form, except the section at index `except`. */
export function slugsInForm(def: Pick<FormDefinition, "sections">, except?: number): string[] {
  return def.sections.filter((_, i) => i !== except).flatMap((s) => (s.slug ? [s.slug] : []));
}

/** A unique field name for a label in this form (the field itself at `self` not counted). */
export function suggestFieldName(label: string, def: Pick<FormDefinition, "sections">, self?: FieldRef): string {
  return makeUnique(deriveFieldName(label), fieldNamesInForm(def, self));
}

/** A unique slug for a section title in this form. */
export function suggestSlug(title: string, def: Pick<FormDefinition, "sections">, self?: number): string {
  return makeUnique(deriveSlug(title), slugsInForm(def, self), "-");
}

/**
 * Whether a field's name should keep following its label as the label is edited: true while the
 * name is empty or still exactly what the old label would have produced. Once the user types a
 * name of their own, it stays.
 */
export function nameFollowsLabel(
  currentName: string | undefined,
  previousLabel: string | undefined,
  def: Pick<FormDefinition, "sections">,
  self: FieldRef,
): boolean {
  if (!currentName) return true;
  return currentName === suggestFieldName(previousLabel ?? "", def, self);
}

/**
 * The message for a name as it is being typed, or null when it is fine: required, pattern,
 * unique in the form.
 */
export function checkFieldName(name: string, def: Pick<FormDefinition, "sections">, self?: FieldRef): string | null {
  if (name.length === 0) return m.forms_name_required();
  if (!FIELD_NAME_PATTERN.test(name)) {
    if (/^[^a-z]/.test(name)) return m.forms_name_start();
    return m.forms_name_chars();
  }
  if (fieldNamesInForm(def, self).includes(name)) return m.forms_issue_field_name_duplicate({ name });
  return null;
}
