import { CalendarDate, CalendarDateTime } from "@internationalized/date";
import { describe, expect, it } from "vitest";
import { fieldValueOf, parseFieldValue, withPickedDay } from "./fieldValue";

describe("the strings a date field gives the page", () => {
  it("a day is YYYY-MM-DD both ways", () => {
    const d = parseFieldValue("2026-03-07", "day");
    expect(d?.toString()).toBe("2026-03-07");
    expect(fieldValueOf(d, "day")).toBe("2026-03-07");
    expect(fieldValueOf(new CalendarDate(987, 1, 2), "day")).toBe("0987-01-02");
  });

  it("a moment is YYYY-MM-DDTHH:MM (seconds read, not written)", () => {
    expect(fieldValueOf(parseFieldValue("2026-03-07T09:05", "minute"), "minute")).toBe("2026-03-07T09:05");
    expect(fieldValueOf(parseFieldValue("2026-03-07T09:05:59", "minute"), "minute")).toBe("2026-03-07T09:05");
  });

  it("empty, malformed and impossible dates are no value", () => {
    for (const s of ["", "  ", "2026-3-7", "07/03/2026", "2026-02-30", "2026-13-01", "2026-03-07T24:00", "2026-03-07T10:60"]) {
      expect(parseFieldValue(s, s.includes("T") ? "minute" : "day"), s).toBeUndefined();
    }
    expect(parseFieldValue("2026-03-07", "minute")).toBeUndefined();
    expect(fieldValueOf(undefined, "day")).toBe("");
  });

  it("a day picked in the calendar keeps the time already typed", () => {
    const picked = new CalendarDate(2026, 12, 24);
    expect(fieldValueOf(withPickedDay(picked, new CalendarDateTime(2026, 1, 1, 14, 30), "minute"), "minute")).toBe("2026-12-24T14:30");
    expect(fieldValueOf(withPickedDay(picked, undefined, "minute"), "minute")).toBe("2026-12-24T00:00");
    expect(fieldValueOf(withPickedDay(picked, undefined, "day"), "day")).toBe("2026-12-24");
  });
});
