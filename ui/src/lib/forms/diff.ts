// Comparing two versions of a form: which sections and fields were added, removed, changed or
// moved, and which settings changed. Sections are matched by slug, fields by name (a nameless HTML
// block by its position among the nameless blocks of its section).

import type { FormDefinition, Field as FormField, Section as FormSection } from "../backend";

export type ChangeKind = "added" | "removed" | "changed" | "unchanged";

/** One setting that differs: `key` is a top-level key of the object ("label", "validations", …). */
export interface PropertyChange {
  key: string;
  before: unknown;
  after: unknown;
}

export interface FieldDiff {
  /** The field's name, or `#html-N` for the Nth nameless block of its section. */
  key: string;
  kind: ChangeKind;
  before: FormField | null;
  after: FormField | null;
  changes: PropertyChange[];
  /** Set when the field now sits in another section (by slug). */
  movedFrom: string | null;
  /** Its position among the section's fields changed. */
  reordered: boolean;
}

export interface SectionDiff {
  slug: string;
  kind: ChangeKind;
  before: FormSection | null;
  after: FormSection | null;
  /** Section settings (everything but `fields`). */
  changes: PropertyChange[];
  reordered: boolean;
  /** Fields of the new version in order, then fields that were removed. */
  fields: FieldDiff[];
}

export interface FormDiff {
  /** Form settings (everything but `sections`); server bookkeeping keys are left out. */
  changes: PropertyChange[];
  sections: SectionDiff[];
  /** Counts for a summary line: sections and fields apart, so each count matches the marks below it. */
  summary: DiffSummary;
}

export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
}

export interface DiffSummary {
  /** Form settings changed (name, description, language, casefile title, …). */
  settings: boolean;
  /** Sections by their mark: a section is "changed" when its settings, place or fields changed. */
  sections: DiffCounts;
  /** Fields of the sections both versions have (those of an added or removed section go with it). */
  fields: DiffCounts;
}

/** Keys the server sets that say nothing about the definition. */
const BOOKKEEPING = new Set(["id", "formId", "externalId", "status", "version", "publicUrl", "createdAt", "updatedAt"]);

/** Deep equality for JSON-like values; object key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    // A missing key and an undefined value are the same thing in JSON.
    if (!jsonEqual(ao[k], bo[k])) return false;
  }
  return true;
}

function propertyChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  skip: (key: string) => boolean,
): PropertyChange[] {
  const keys: string[] = [];
  for (const k of [...Object.keys(before), ...Object.keys(after)]) {
    if (!keys.includes(k) && !skip(k)) keys.push(k);
  }
  return keys.filter((k) => !jsonEqual(before[k], after[k])).map((k) => ({ key: k, before: before[k], after: after[k] }));
}

function fieldKeys(section: FormSection): string[] {
  let html = 0;
  return (section.fields ?? []).map((f) => (f.name ? f.name : `#html-${++html}`));
}

interface Home {
  slug: string;
  field: FormField;
}

function homes(sections: FormSection[]): Map<string, Home> {
  const out = new Map<string, Home>();
  for (const s of sections) {
    for (const f of s.fields ?? []) if (f.name && !out.has(f.name)) out.set(f.name, { slug: s.slug ?? "", field: f });
  }
  return out;
}

/** Where `key` sits among the keys both lists share, or -1. */
function relativeIndex(keys: string[], shared: Set<string>, key: string): number {
  return keys.filter((k) => shared.has(k)).indexOf(key);
}

/** Compares version `before` with version `after`. */
export function diffForms(before: FormDefinition, after: FormDefinition): FormDiff {
  const changes = propertyChanges(before, after, (k) => k === "sections" || BOOKKEEPING.has(k));

  const beforeSections = before.sections ?? [];
  const afterSections = after.sections ?? [];
  const beforeBySlug = new Map(beforeSections.map((s) => [s.slug ?? "", s]));
  const afterSlugs = new Set(afterSections.map((s) => s.slug ?? ""));
  const shared = new Set(beforeSections.map((s) => s.slug ?? "").filter((slug) => afterSlugs.has(slug)));
  const beforeOrder = beforeSections.map((s) => s.slug ?? "");
  const afterOrder = afterSections.map((s) => s.slug ?? "");
  const homesBefore = homes(beforeSections);
  const homesAfter = homes(afterSections);

  const sections: SectionDiff[] = [];
  for (const s of afterSections) {
    const reordered =
      shared.has(s.slug ?? "") && relativeIndex(beforeOrder, shared, s.slug ?? "") !== relativeIndex(afterOrder, shared, s.slug ?? "");
    sections.push(diffSection(s.slug ?? "", beforeBySlug.get(s.slug ?? "") ?? null, s, reordered, homesBefore, homesAfter));
  }
  for (const s of beforeSections) {
    if (!afterSlugs.has(s.slug ?? "")) sections.push(diffSection(s.slug ?? "", s, null, false, homesBefore, homesAfter));
  }

  const summary: DiffSummary = {
    settings: changes.length > 0,
    sections: { added: 0, removed: 0, changed: 0 },
    fields: { added: 0, removed: 0, changed: 0 },
  };
  for (const sd of sections) {
    if (sd.kind === "unchanged") continue;
    summary.sections[sd.kind]++;
    // Fields of an added or removed section are counted with it.
    if (sd.kind !== "changed") continue;
    for (const fd of sd.fields) {
      if (fd.kind === "added" || fd.kind === "removed") summary.fields[fd.kind]++;
      else if (fd.kind === "changed" || fd.movedFrom !== null || fd.reordered) summary.fields.changed++;
    }
  }
  return { changes, sections, summary };
}

function diffSection(
  slug: string,
  before: FormSection | null,
  after: FormSection | null,
  reordered: boolean,
  homesBefore: Map<string, Home>,
  homesAfter: Map<string, Home>,
): SectionDiff {
  const changes = before && after ? propertyChanges(before, after, (k) => k === "fields") : [];
  const beforeFields = before?.fields ?? [];
  const afterFields = after?.fields ?? [];
  const beforeKeys = before ? fieldKeys(before) : [];
  const afterKeys = after ? fieldKeys(after) : [];
  const beforeByKey = new Map(beforeKeys.map((k, i) => [k, beforeFields[i] as FormField]));
  const afterKeySet = new Set(afterKeys);
  const shared = new Set(beforeKeys.filter((k) => afterKeySet.has(k)));

  const fields: FieldDiff[] = [];
  afterKeys.forEach((key, i) => {
    const now = afterFields[i] as FormField;
    let was = beforeByKey.get(key) ?? null;
    let movedFrom: string | null = null;
    if (!was) {
      // Not in this section before: moved here from another section, or new.
      const home = key.startsWith("#") ? undefined : homesBefore.get(key);
      if (home && home.slug !== slug) {
        was = home.field;
        movedFrom = home.slug;
      }
    }
    if (!was) {
      fields.push({ key, kind: "added", before: null, after: now, changes: [], movedFrom: null, reordered: false });
      return;
    }
    const fc = propertyChanges(was, now, () => false);
    fields.push({
      key,
      kind: fc.length > 0 ? "changed" : "unchanged",
      before: was,
      after: now,
      changes: fc,
      movedFrom,
      reordered: movedFrom === null && relativeIndex(beforeKeys, shared, key) !== relativeIndex(afterKeys, shared, key),
    });
  });
  beforeKeys.forEach((key, i) => {
    if (afterKeySet.has(key)) return;
    const movedTo = key.startsWith("#") ? undefined : homesAfter.get(key);
    if (movedTo && movedTo.slug !== slug) return; // listed where it went
    fields.push({
      key,
      kind: "removed",
      before: beforeFields[i] as FormField,
      after: null,
      changes: [],
      movedFrom: null,
      reordered: false,
    });
  });

  let kind: ChangeKind;
  if (!before) kind = "added";
  else if (!after) kind = "removed";
  else {
    const touched = changes.length > 0 || reordered || fields.some((f) => f.kind !== "unchanged" || f.reordered || f.movedFrom !== null);
    kind = touched ? "changed" : "unchanged";
  }
  return { slug, kind, before, after, changes, reordered, fields };
}
