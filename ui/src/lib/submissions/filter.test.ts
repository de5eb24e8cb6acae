import { describe, expect, it } from "vitest";
import { applyFilter, dayRangeBounds, fieldValues, matches } from "./filter";
import { answers, submission } from "./fixtures.test-helpers";

const rows = [
  submission("s1", "2026-03-01T10:00:00Z", answers("Ida", ["Acme A/S"], { kind: "sole" }), {
    reviewed: true,
    version: 1,
    casefileStatus: 5,
  }),
  submission("s2", "2026-03-02T10:00:00Z", answers("bo", ["Nordvind ApS", "Acme A/S"]), { flagged: true, version: 2 }),
  submission("s3", "2026-03-03T10:00:00Z", answers("Carl", [], { phones: [] }), { version: 10, casefileStatus: 1 }),
];
const ids = (xs: { submissionId: string }[]) => xs.map((x) => x.submissionId);

describe("submission filters", () => {
  it("uses exclusive date bounds", () => {
    expect(ids(applyFilter(rows, { completedAfter: "2026-03-01T10:00:00Z" }))).toEqual(["s2", "s3"]);
    expect(ids(applyFilter(rows, { completedBefore: "2026-03-03T10:00:00Z" }))).toEqual(["s1", "s2"]);
    expect(ids(applyFilter(rows, { completedAfter: "2026-03-01T10:00:00Z", completedBefore: "2026-03-03T10:00:00Z" }))).toEqual(["s2"]);
  });

  it("turns picked days into exclusive bounds covering whole days", () => {
    const b = dayRangeBounds("2026-03-02", "2026-03-03", 0);
    expect(b).toEqual({ completedAfter: "2026-03-01T23:59:59.999Z", completedBefore: "2026-03-04T00:00:00.000Z" });
    expect(ids(applyFilter(rows, b))).toEqual(["s2", "s3"]);
    expect(dayRangeBounds("2026-03-02", null, 60).completedAfter).toBe("2026-03-01T22:59:59.999Z");
    expect(dayRangeBounds("nonsense", null, 0)).toEqual({ completedAfter: null, completedBefore: null });
  });

  it("filters by any field value, over every instance, case-insensitively", () => {
    expect(ids(applyFilter(rows, { fields: [{ field: "reference_customer", op: "equals", value: "acme a/s" }] }))).toEqual(["s1", "s2"]);
    expect(ids(applyFilter(rows, { fields: [{ field: "reference_customer", op: "contains", value: "VIND" }] }))).toEqual(["s2"]);
    expect(ids(applyFilter(rows, { fields: [{ field: "reference_customer", op: "isEmpty" }] }))).toEqual(["s3"]);
    expect(ids(applyFilter(rows, { fields: [{ field: "contact_phone", op: "notEmpty" }] }))).toEqual(["s1", "s2"]);
    expect(ids(applyFilter(rows, { fields: [{ field: "contact_phone", op: "equals", value: "+4587654321" }] }))).toEqual(["s1", "s2"]);
    expect(
      ids(
        applyFilter(rows, {
          fields: [
            { field: "supplier_kind", op: "equals", value: "company" },
            { field: "contact_name", op: "contains", value: "o" },
          ],
        }),
      ),
    ).toEqual(["s2"]);
    expect(fieldValues(rows[1]!, "reference_customer")).toEqual(["Nordvind ApS", "Acme A/S"]);
  });

  it("filters on the local review marks", () => {
    expect(ids(applyFilter(rows, { reviewed: true }))).toEqual(["s1"]);
    expect(ids(applyFilter(rows, { reviewed: false }))).toEqual(["s2", "s3"]);
    expect(ids(applyFilter(rows, { flagged: true }))).toEqual(["s2"]);
    expect(matches(rows[0]!, { reviewed: null, flagged: null })).toBe(true);
  });

  it("sorts stably with empty values last in both directions", () => {
    expect(ids(applyFilter(rows, { sort: { key: "completedAt" }, descending: true }))).toEqual(["s3", "s2", "s1"]);
    expect(ids(applyFilter(rows, { sort: { key: "version" } }))).toEqual(["s1", "s2", "s3"]);
    expect(ids(applyFilter(rows, { sort: { key: "version" }, descending: true }))).toEqual(["s3", "s2", "s1"]);
    expect(ids(applyFilter(rows, { sort: { key: "respondent" } }))).toEqual(["s2", "s3", "s1"]);
    expect(ids(applyFilter(rows, { sort: { key: "casefileStatus" } }))).toEqual(["s3", "s1", "s2"]);
    expect(ids(applyFilter(rows, { sort: { key: "casefileStatus" }, descending: true }))).toEqual(["s1", "s3", "s2"]);
    expect(ids(applyFilter(rows, { sort: { key: "field", field: "reference_customer" } }))).toEqual(["s1", "s2", "s3"]);
    expect(ids(applyFilter(rows, { sort: { key: "reviewed" }, descending: true }))).toEqual(["s1", "s2", "s3"]);
  });
});
