// A returned answer of a prefilled request as staff read it: a choice by its option's label (the
// value only where the option has no label, or the form no longer has it), a date and a number
// the UI language's way.

import type { AnswerRow, FormDefinition, Field as FormField } from "../backend";
import { formatDate, formatNumber } from "../format";

function findField(def: FormDefinition | null, row: AnswerRow): FormField | undefined {
  if (!def) return undefined;
  const inSection = def.sections.find((s) => s.slug === row.sectionSlug)?.fields.find((f) => f.name === row.fieldName);
  return inSection ?? def.sections.flatMap((s) => s.fields).find((f) => f.name === row.fieldName);
}

/** The answer's text; `null` when it has none. */
export function answerText(row: AnswerRow, def: FormDefinition | null): string | null {
  const raw = row.valueText;
  if (raw === null || raw.trim() === "") return null;
  const field = findField(def, row);
  const type = field?.type ?? row.fieldType ?? "";
  switch (type) {
    case "CHOICE": {
      const label = (value: string) => {
        const option = field?.options?.find((o) => o.value === value);
        return option?.label || value;
      };
      const whole = field?.options?.find((o) => o.value === raw);
      if (whole) return whole.label || raw;
      // Several values of a checkbox choice come joined by ", ".
      return raw.split(", ").map(label).join(", ");
    }
    case "DATE":
      return /^\d{4}-\d{2}-\d{2}$/.test(raw.trim()) ? formatDate(`${raw.trim()}T00:00:00Z`, { timeZone: "UTC" }) : raw;
    case "NUMBER": {
      const n = Number(raw);
      return raw.trim() !== "" && Number.isFinite(n) ? formatNumber(n) : raw;
    }
    default:
      return raw;
  }
}
