// Two submissions of the same form side by side. Fields are matched by section, instance and name:
// instance 2 of a repeated section on the left is compared with instance 2 on the right; a field or
// instance present on one side only is "only-left" / "only-right". Several values compare as a set.

import type { FormDefinition } from "../backend";
import { answerValues, instancesOf, isRepeatedSection, sectionKeyIn, valueText, type AnswerEntry, type AnswersObject } from "./types";

export type CompareStatus = "same" | "changed" | "only-left" | "only-right";

export interface CompareRow {
  /** `section[instance].name` or `name`, like the export columns. */
  key: string;
  name: string;
  label: string;
  /** 1-based instance of a repeated section; null for a plain one. */
  instance: number | null;
  left: AnswerEntry | null;
  right: AnswerEntry | null;
  status: CompareStatus;
}

export interface CompareSection {
  key: string;
  title: string;
  repeated: boolean;
  rows: CompareRow[];
}

export interface Comparison {
  sections: CompareSection[];
  counts: Record<CompareStatus, number>;
}

interface Side {
  title: string;
  repeated: boolean;
  /** instance (0-based) → name → entry */
  instances: Map<string, AnswerEntry>[];
}

function sidesOf(a: AnswersObject | null | undefined, form?: FormDefinition | null): Map<string, Side> {
  const out = new Map<string, Side>();
  (a?.sections ?? []).forEach((section, si) => {
    const key = sectionKeyIn(section, si, form);
    const side: Side = out.get(key) ?? { title: section.title ?? key, repeated: isRepeatedSection(section), instances: [] };
    instancesOf(section).forEach((entries, ii) => {
      const m = side.instances[ii] ?? new Map<string, AnswerEntry>();
      for (const e of entries) if (e && typeof e.name === "string") m.set(e.name, e);
      side.instances[ii] = m;
    });
    out.set(key, side);
  });
  return out;
}

function comparable(e: AnswerEntry): string {
  return answerValues(e)
    .map((v) => valueText(v).trim())
    .sort()
    .join("\u0000");
}

export function compareAnswers(
  left: AnswersObject | null | undefined,
  right: AnswersObject | null | undefined,
  form?: FormDefinition | null,
): Comparison {
  const l = sidesOf(left, form);
  const r = sidesOf(right, form);
  const keys = [...l.keys(), ...[...r.keys()].filter((k) => !l.has(k))];
  // Form order first when known.
  if (form) {
    const order = form.sections.map((s) => s.slug);
    keys.sort((a, b) => {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
    });
  }
  const counts: Record<CompareStatus, number> = { same: 0, changed: 0, "only-left": 0, "only-right": 0 };
  const sections: CompareSection[] = keys.map((key) => {
    const ls = l.get(key);
    const rs = r.get(key);
    const repeated = (ls?.repeated ?? false) || (rs?.repeated ?? false);
    const formFields =
      form?.sections
        .find((s) => s.slug === key)
        ?.fields.map((f) => f.name)
        .filter((n): n is string => !!n) ?? [];
    const rows: CompareRow[] = [];
    const n = Math.max(ls?.instances.length ?? 0, rs?.instances.length ?? 0);
    for (let i = 0; i < n; i++) {
      const li = ls?.instances[i];
      const ri = rs?.instances[i];
      const names = [...formFields];
      for (const m of [li, ri]) for (const name of m?.keys() ?? []) if (!names.includes(name)) names.push(name);
      for (const name of names) {
        const le = li?.get(name) ?? null;
        const re = ri?.get(name) ?? null;
        if (!le && !re) continue;
        const status: CompareStatus = !re ? "only-left" : !le ? "only-right" : comparable(le) === comparable(re) ? "same" : "changed";
        counts[status]++;
        rows.push({
          key: repeated ? `${key}[${i + 1}].${name}` : name,
          name,
          label: (le?.label ?? re?.label ?? name) || name,
          instance: repeated ? i + 1 : null,
          left: le,
          right: re,
          status,
        });
      }
    }
    return { key, title: ls?.title ?? rs?.title ?? key, repeated, rows };
  });
  return { sections, counts };
}
