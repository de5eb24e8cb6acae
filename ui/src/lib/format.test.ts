import { afterEach, describe, expect, it } from "vitest";
import {
  dateTimeFormat,
  formatDate,
  formatDateTime,
  formatFileSize,
  formatNumber,
  formatRelative,
  formatTime,
  numberFormat,
} from "./format";
import { setLanguage } from "./i18n.svelte";

// 26 October 2026, 02:24 local time.
const when = new Date(2026, 9, 26, 2, 24);

afterEach(() => setLanguage("system"));

describe("format in Danish", () => {
  it("writes dates, times, numbers and sizes the Danish way", () => {
    setLanguage("da");
    expect(formatDateTime(when)).toBe("26.10.2026 02.24");
    expect(formatDate(when)).toBe("26.10.2026");
    expect(formatTime(when)).toBe("02.24");
    expect(formatNumber(1234567.5)).toBe("1.234.567,5");
    expect(formatFileSize(637)).toBe("637 B");
    expect(formatFileSize(5 * 1024 * 1024 + 300 * 1024)).toBe("5,3 MB");
    expect(formatRelative(when.getTime() - 3 * 60_000, when)).toBe("for 3 minutter siden");
    expect(formatRelative(when, when)).toBe("lige nu");
    expect(formatRelative(when.getTime() - 86_400_000, when)).toBe("i går");
  });
});

describe("format in English", () => {
  it("uses day-month order and a 24-hour clock", () => {
    expect(formatDateTime(when)).toBe("26/10/2026 02:24");
    expect(formatNumber(1234567.5)).toBe("1,234,567.5");
    expect(formatFileSize(2048)).toBe("2.0 kB");
    expect(formatFileSize(300 * 1024 * 1024)).toBe("300 MB");
    expect(formatRelative(when.getTime() - 2 * 3600_000, when)).toBe("2 hours ago");
    expect(formatRelative(when.getTime() - 86_400_000, when)).toBe("yesterday");
  });

  it("gives back what it cannot parse", () => {
    expect(formatDate("not a date")).toBe("not a date");
    expect(formatDateTime("2026-13-45T99:00")).toBe("2026-13-45T99:00");
  });

  it("formats a date-only value in the zone it was given", () => {
    expect(formatDate("2026-03-01", { timeZone: "UTC" })).toBe("01/03/2026");
  });
});

describe("formatters are made once", () => {
  it("hands back the same formatter for the same locale and options, and counts each call alike", () => {
    const a = dateTimeFormat("da-DK", { dateStyle: "medium", timeZone: "UTC" });
    expect(dateTimeFormat("da-DK", { dateStyle: "medium", timeZone: "UTC" })).toBe(a);
    expect(dateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" })).not.toBe(a);
    expect(dateTimeFormat("da-DK", { dateStyle: "short", timeZone: "UTC" })).not.toBe(a);
    expect(numberFormat("da-DK", { maximumFractionDigits: 2 })).toBe(numberFormat("da-DK", { maximumFractionDigits: 2 }));
  });

  it("follows a language change with the cached formatters", () => {
    setLanguage("da");
    const da = formatDateTime("2026-10-26T02:24:00Z", { timeZone: "UTC" });
    setLanguage("en");
    expect(formatDateTime("2026-10-26T02:24:00Z", { timeZone: "UTC" })).not.toBe(da);
    setLanguage("da");
    expect(formatDateTime("2026-10-26T02:24:00Z", { timeZone: "UTC" })).toBe(da);
  });
});
