// The values the pages keep for a date field, as they were with the native inputs: a day is
// `YYYY-MM-DD` (`<input type="date">`), a moment is `YYYY-MM-DDTHH:MM` in local time
// (`<input type="datetime-local">`, see casefiles/time.ts). The field itself works on
// @internationalized/date values; these functions convert both ways and reject what is not a
// real date (2026-02-30), so a page never receives a half-typed or impossible value.

import { CalendarDate, CalendarDateTime, type DateValue } from "@internationalized/date";

/** What a field holds: a whole day, or a day and a time to the minute. */
export type DateGranularity = "day" | "minute";

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** The field's value for a page's string; undefined when empty or not a real date. */
export function parseFieldValue(value: string | null | undefined, granularity: DateGranularity): DateValue | undefined {
  const text = (value ?? "").trim();
  const m =
    granularity === "day" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (granularity === "minute" && (Number(m[4]) > 23 || Number(m[5]) > 59)) return undefined;
  const date = granularity === "day" ? new CalendarDate(y, mo, d) : new CalendarDateTime(y, mo, d, Number(m[4]), Number(m[5]));
  // CalendarDate clamps (Feb 30 → Feb 28); a clamped value is not what the string said.
  if (date.year !== y || date.month !== mo || date.day !== d) return undefined;
  return date;
}

/** The page's string for a field's value (`""` when the field is empty). */
export function fieldValueOf(value: DateValue | undefined, granularity: DateGranularity): string {
  if (!value) return "";
  const day = `${pad(value.year, 4)}-${pad(value.month)}-${pad(value.day)}`;
  if (granularity === "day") return day;
  const hour = "hour" in value ? value.hour : 0;
  const minute = "minute" in value ? value.minute : 0;
  return `${day}T${pad(hour)}:${pad(minute)}`;
}

/**
 * A day picked in the calendar as the field's value: for a moment the time already in the field
 * stays (a new one starts at 00:00, and the field then asks for the hour).
 */
export function withPickedDay(picked: DateValue, current: DateValue | undefined, granularity: DateGranularity): DateValue {
  if (granularity === "day") return new CalendarDate(picked.year, picked.month, picked.day);
  const hour = current && "hour" in current ? current.hour : 0;
  const minute = current && "minute" in current ? current.minute : 0;
  return new CalendarDateTime(picked.year, picked.month, picked.day, hour, minute);
}
