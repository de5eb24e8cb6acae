// The answers object of the contract ("Answers object" in penneo-contract.md) and how its values
// read as text. Unknown keys are allowed everywhere: the typed-value encoding is not published
// (penneo-api.md §6.4), so values are `unknown` and read through `valueText` / the display helpers.

import type { Answer, AnswerSection, Answers } from "../backend";

/** The answers object, as Rust's `penneo::Answers` describes it (generated). */
export type AnswersObject = Answers;
/** One answer of it. */
export type AnswerEntry = Answer;
/** One section of it. */
export type AnswersSection = AnswerSection;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A typed value as plain text. Scalars as they are (numbers without locale formatting), a wrapper
 * object `{value}` unwrapped, a file by its file name, anything else as JSON.
 */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (Array.isArray(v))
    return v
      .map(valueText)
      .filter((s) => s !== "")
      .join(", ");
  if (isRecord(v)) {
    if ("value" in v) return valueText(v.value);
    if (typeof v.filename === "string") return v.filename;
    if (typeof v.fileName === "string") return v.fileName;
    if (typeof v.label === "string") return v.label;
  }
  return JSON.stringify(v);
}

/** The values of one answer: `values[]` when given, else `[value]`; empty ones dropped. */
export function answerValues(entry: AnswerEntry): unknown[] {
  const raw = Array.isArray(entry.values) ? entry.values : entry.value === undefined ? [] : [entry.value];
  return raw.filter((v) => valueText(v).trim() !== "");
}

/** All answers of a section as instances (a plain section is one instance). */
export function instancesOf(section: AnswersSection): AnswerEntry[][] {
  if (Array.isArray(section.instances)) return section.instances.map((i) => (Array.isArray(i.answers) ? i.answers : []));
  return [Array.isArray(section.answers) ? section.answers : []];
}

/** A section is repeated when it says so or carries `instances`. */
export function isRepeatedSection(section: AnswersSection): boolean {
  return section.multipleEntries === true || Array.isArray(section.instances);
}

/** A stable key for a section: its slug, else its title made slug-like, else its position. */
export function sectionKey(section: AnswersSection, index: number): string {
  if (section.slug && section.slug.trim()) return section.slug.trim();
  const fromTitle = (section.title ?? "")
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return fromTitle || `section_${index + 1}`;
}

/**
 * The key of an answers section, using the form definition when the answers carry no slug (the
 * published example has none): the form section with the same title gives its slug.
 */
export function sectionKeyIn(
  section: AnswersSection,
  index: number,
  form?: { sections: readonly { slug?: string | null; title?: string | null }[] } | null,
): string {
  if (section.slug && section.slug.trim()) return section.slug.trim();
  const title = (section.title ?? "").trim();
  if (form && title) {
    const match = form.sections.find((s) => (s.title ?? "").trim() === title);
    if (match?.slug) return match.slug;
  }
  return sectionKey(section, index);
}
