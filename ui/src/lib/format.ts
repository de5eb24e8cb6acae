// The one formatter for dates, times, numbers, file sizes and relative times, in the UI
// language's locale (`Intl`): Danish `26.10.2026 02.24`, English (en-GB) `26/10/2026 02:24`.
// Every page formats through these functions, so a date reads the same everywhere. Called from a
// template or a $derived they follow a language change (the language is Svelte state).

import { intlLocale, m } from "./i18n.svelte";

type DateInput = Date | string | number;

/** Options every date function takes: the IANA time zone (date-only values are UTC midnight). */
export interface DateOptions {
  timeZone?: string;
}

// Intl formatters are made once per locale and options and kept. Each one is an ICU object
// allocated outside the JavaScript heap and freed only when the collector finalises it: made per
// call, a scrolled table of 100,000 rows built 200,000 of them, and the web process's malloc
// heap grew by 51 MB that it did not give back (12 MB with the formatters kept; issue 16).
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
const FORMATTERS_MAX = 200;

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  kind: string,
  locale: string | undefined,
  options: object,
  make: () => F,
): F {
  const key = `${kind}|${locale ?? ""}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (f === undefined) {
    if (formatters.size >= FORMATTERS_MAX) formatters.clear();
    f = make();
    formatters.set(key, f);
  }
  return f as F;
}

/** An `Intl.DateTimeFormat` for `locale` and `options`, made once and reused. */
export function dateTimeFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached("dt", locale, options, () => new Intl.DateTimeFormat(locale, options));
}

/** An `Intl.NumberFormat` for `locale` and `options`, made once and reused. */
export function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached("n", locale, options, () => new Intl.NumberFormat(locale, options));
}

function toDate(value: DateInput): Date | undefined {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function unparsed(value: DateInput): string {
  return typeof value === "string" ? value : "";
}

/** `26.10.2026` (da) / `26/10/2026` (en); an unparseable string comes back as it was. */
export function formatDate(value: DateInput, options: DateOptions = {}): string {
  const d = toDate(value);
  if (!d) return unparsed(value);
  return dateTimeFormat(intlLocale(), { day: "2-digit", month: "2-digit", year: "numeric", ...options }).format(d);
}

/** `02.24` (da) / `02:24` (en), 24-hour. */
export function formatTime(value: DateInput, options: DateOptions = {}): string {
  const d = toDate(value);
  if (!d) return unparsed(value);
  return dateTimeFormat(intlLocale(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23", ...options }).format(d);
}

/** `26.10.2026 02.24` (da) / `26/10/2026 02:24` (en). */
export function formatDateTime(value: DateInput, options: DateOptions = {}): string {
  const d = toDate(value);
  if (!d) return unparsed(value);
  return `${formatDate(d, options)} ${formatTime(d, options)}`;
}

/** `1.234.567,5` (da) / `1,234,567.5` (en). */
export function formatNumber(n: number, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(intlLocale(), { maximumFractionDigits: 20, ...options }).format(n);
}

const SIZE_UNITS = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;

/** `512 B`, `2 kB`, `12,3 MB` (da) — powers of 1024 as file managers count; one decimal below 10. */
export function formatFileSize(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return numberFormat(intlLocale(), {
    style: "unit",
    unit: SIZE_UNITS[unit],
    unitDisplay: "short",
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
}

/**
 * How long ago (or until): `lige nu` / `just now` within 45 seconds, then minutes, hours, days
 * (`i går` / `yesterday`) up to a week; beyond that the date itself.
 */
export function formatRelative(value: DateInput, now: DateInput = Date.now()): string {
  const d = toDate(value);
  const base = toDate(now);
  if (!d || !base) return unparsed(value);
  const locale = intlLocale();
  const rtf = cached("rt", locale, { numeric: "auto" }, () => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));
  const seconds = Math.round((d.getTime() - base.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return m.time_just_now();
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return rtf.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return rtf.format(hours, "hour");
  const days = Math.round(hours / 24);
  if (Math.abs(days) < 8) return rtf.format(days, "day");
  return formatDate(d);
}
