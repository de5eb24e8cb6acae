import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv";
import { exportFileName, exportView } from "./exporting";
import { FORM, answers, submission } from "./fixtures.test-helpers";

const rows = [
  submission("s1", "2026-03-01T10:00:00Z", answers("Ida", ["A"]), { reviewed: true }),
  submission("s2", "2026-03-02T10:00:00Z", answers("Bo", ["B", "C"])),
  submission("s3", "2026-03-03T10:00:00Z", answers("Carl", [])),
];

describe("exporting the current view", () => {
  it("names the file after the form and the day", () => {
    expect(exportFileName("Supplier Registration — Ærø", "csv", new Date(2026, 10, 25))).toBe("supplier-registration-aeroe-submissions-2026-11-25.csv");
    expect(exportFileName("!!!", "json", new Date(2026, 0, 5))).toBe("form-submissions-2026-01-05.json");
  });

  it("exports exactly the filtered, sorted rows as CSV with a header", () => {
    const f = exportView(rows, { reviewed: false, descending: true }, FORM, "csv", { date: new Date(2026, 10, 25) });
    expect(f.fileName).toBe("supplier-registration-submissions-2026-11-25.csv");
    expect(f.rowCount).toBe(2);
    const parsed = parseCsv(f.contents);
    expect(parsed).toHaveLength(3);
    expect(parsed.map((r) => r[0])).toEqual(["submission_id", "s3", "s2"]);
    expect(parsed[0]).toContain("references[2].reference_customer");
  });

  it("exports JSON", () => {
    const f = exportView(rows, { fields: [{ field: "contact_name", op: "equals", value: "bo" }] }, FORM, "json");
    expect(f.mimeType).toBe("application/json");
    expect((JSON.parse(f.contents) as { submissionId: string }[]).map((x) => x.submissionId)).toEqual(["s2"]);
  });
});
