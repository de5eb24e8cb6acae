import { describe, expect, it } from "vitest";
import { exportFileName } from "./exporting";

describe("exporting the current view", () => {
  it("names the file after the form and the day", () => {
    expect(exportFileName("Supplier Registration — Ærø", "csv", new Date(2026, 10, 25))).toBe(
      "supplier-registration-aeroe-submissions-2026-11-25.csv",
    );
    expect(exportFileName("!!!", "json", new Date(2026, 0, 5))).toBe("form-submissions-2026-01-05.json");
  });
});
