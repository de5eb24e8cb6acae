import { describe, expect, it } from "vitest";
import type { SubmissionDetail, SubmissionRow } from "../backend";
import { FORM } from "./fixtures.test-helpers";
import {
  answersOf,
  boundsToDays,
  buildQuery,
  completeConditions,
  conditionProblems,
  DEFAULT_FILTER,
  formFields,
  isFiltered,
  lastSyncedAt,
  nextSort,
  PAGE_SIZE,
  sinceText,
  toFormDefinition,
} from "./query";
import { dayRangeBounds } from "./filter";

const row = (over: Partial<SubmissionRow> = {}): SubmissionRow => ({
  submissionId: "s1",
  formId: "f1",
  casefileId: 7,
  requestId: null,
  version: 2,
  completedAt: "2026-03-01T10:00:00.000000Z",
  respondentName: "Ida Holm",
  respondentEmail: "ida@example.org",
  casefileStatus: 5,
  reviewed: false,
  flagged: false,
  note: null,
  values: {},
  ...over,
});

describe("the backend query of a view", () => {
  it("starts newest first with nothing filtered, one page at a time", () => {
    expect(buildQuery("f1", DEFAULT_FILTER, [])).toEqual({
      formId: "f1",
      completedAfter: null,
      completedBefore: null,
      filters: [],
      reviewed: null,
      flagged: null,
      sort: { key: "completedAt" },
      descending: true,
      columns: [],
      limit: PAGE_SIZE,
      cursor: null,
      offset: null,
      withTotal: false,
    });
    expect(isFiltered(DEFAULT_FILTER)).toBe(false);
  });

  it("carries the date range, review filters, field sort, columns and cursor", () => {
    const filter = {
      ...dayRangeBounds("2026-03-02", "2026-03-03", 0),
      reviewed: false,
      flagged: true,
      sort: { key: "field" as const, field: "cpr" },
      descending: false,
    };
    const q = buildQuery("f1", filter, ["cpr", "city", "cpr"], { cursor: "500" });
    expect(q.completedAfter).toBe("2026-03-01T23:59:59.999Z");
    expect(q.completedBefore).toBe("2026-03-04T00:00:00.000Z");
    expect(q.reviewed).toBe(false);
    expect(q.flagged).toBe(true);
    expect(q.sort).toEqual({ key: "field", field: "cpr" });
    expect(q.columns).toEqual(["cpr", "city"]);
    expect(q.cursor).toBe("500");
    expect(q.limit).toBe(PAGE_SIZE);
    // The export asks for the whole view: no limit, no cursor.
    const all = buildQuery("f1", filter, [], { limit: null });
    expect(all.limit).toBeNull();
    expect(all.cursor).toBeNull();
    expect(all.withTotal).toBe(false);
    // The table's page cache asks for a page at a position, with the view's count.
    expect(buildQuery("f1", filter, [], { offset: 1500, limit: 500, withTotal: true })).toMatchObject({
      offset: 1500,
      limit: 500,
      cursor: null,
      withTotal: true,
    });
    expect(isFiltered(filter)).toBe(true);
  });

  it("shows the picked days again from the bounds it made, in any offset", () => {
    for (const off of [0, 60, -300, 330]) {
      const b = dayRangeBounds("2026-03-02", "2026-03-31", off);
      expect(boundsToDays(b.completedAfter, b.completedBefore, off)).toEqual({ from: "2026-03-02", to: "2026-03-31" });
    }
    expect(boundsToDays(null, undefined, 0)).toEqual({ from: "", to: "" });
    expect(boundsToDays("nonsense", null, 0)).toEqual({ from: "", to: "" });
  });

  it("sends only complete field conditions, trimmed, and says what is missing next to the others", () => {
    const fields = [
      { field: "city", op: "equals" as const, value: "  Odense C " },
      { field: "city", op: "equals" as const, value: "   " },
      { field: "street", op: "contains" as const, value: "" },
      { field: "street", op: "contains" as const, value: " gade" },
      { field: "pep_details", op: "isEmpty" as const, value: "ignored" },
      { field: "phone", op: "notEmpty" as const },
      { field: "", op: "notEmpty" as const },
    ];
    expect(completeConditions(fields)).toEqual([
      { field: "city", op: "equals", value: "Odense C" },
      { field: "street", op: "contains", value: "gade" },
      { field: "pep_details", op: "isEmpty", value: null },
      { field: "phone", op: "notEmpty", value: null },
    ]);
    expect(conditionProblems(fields)).toEqual({ 1: "Enter the value to match.", 6: "Choose a field." });
    expect(buildQuery("f1", { fields }, []).filters).toHaveLength(4);
    // A condition still being typed does not count as a filter.
    expect(isFiltered({ fields: [{ field: "city", op: "contains", value: "" }] })).toBe(false);
  });

  it("flips the direction on the same column and starts a new one ascending (dates newest first)", () => {
    let f = nextSort(DEFAULT_FILTER, { key: "completedAt" });
    expect(f).toMatchObject({ sort: { key: "completedAt" }, descending: false });
    f = nextSort(f, { key: "respondent" });
    expect(f).toMatchObject({ sort: { key: "respondent" }, descending: false });
    f = nextSort(f, { key: "respondent" });
    expect(f.descending).toBe(true);
    f = nextSort(f, { key: "field", field: "cpr" });
    expect(f).toMatchObject({ sort: { key: "field", field: "cpr" }, descending: false });
    f = nextSort(f, { key: "field", field: "city" });
    expect(f).toMatchObject({ sort: { key: "field", field: "city" }, descending: false });
    expect(nextSort(f, { key: "completedAt" }).descending).toBe(true);
  });
});

describe("the form's fields as columns", () => {
  it("lists answerable fields in form order, without text blocks", () => {
    expect(formFields(FORM).map((f) => [f.name, f.label, f.sectionTitle])).toEqual([
      ["contact_name", "Name", "Contact person"],
      ["contact_phone", "Phone", "Contact person"],
      ["supplier_kind", "Supplier kind", "Contact person"],
      ["founded", "Founded", "Contact person"],
      ["reference_customer", "Customer", "Customer references"],
    ]);
    expect(formFields(null)).toEqual([]);
  });

  it("reads a form object from the backend only when it has sections", () => {
    expect(toFormDefinition({ name: "x", id: "f1" })).toBeNull();
    expect(toFormDefinition(null)).toBeNull();
    const def = toFormDefinition({ name: "KYC", sections: [{ slug: "a", title: "A", fields: [{ name: "n", type: "TEXT" }] }] });
    expect(def?.sections).toEqual([{ slug: "a", title: "A", fields: [{ name: "n", type: "TEXT" }] }]);
  });
});

describe("a submission's answers for the answers view", () => {
  const detail = (over: Partial<SubmissionDetail>): SubmissionDetail => ({
    row: row(),
    answers: [],
    answersJson: null,
    syncedAt: "2026-03-02T00:00:00Z",
    previousId: null,
    nextId: null,
    ...over,
  });

  it("uses the stored answers object, filling in version and respondent from the row", () => {
    const a = answersOf(
      detail({ answersJson: { respondents: [], sections: [{ slug: "p", title: "P", answers: [{ name: "n", value: "x" }] }] } }),
    );
    expect(a.version).toBe(2);
    expect(a.submissionId).toBe("s1");
    expect(a.respondents).toEqual([{ name: "Ida Holm", email: "ida@example.org" }]);
    expect(a.sections[0]?.answers?.[0]?.value).toBe("x");
  });

  it("rebuilds sections and repeated instances from the flat rows when no object was stored", () => {
    const a = answersOf(
      detail({
        answers: [
          {
            sectionSlug: "company",
            instanceIndex: 0,
            fieldName: "company_name",
            label: "Legal name",
            fieldType: "TEXT",
            valueText: "Acme ApS",
          },
          { sectionSlug: "owners", instanceIndex: 0, fieldName: "owner_name", label: "Name", fieldType: "TEXT", valueText: "Ida" },
          { sectionSlug: "owners", instanceIndex: 1, fieldName: "owner_name", label: "Name", fieldType: "TEXT", valueText: "Bo" },
          { sectionSlug: "owners", instanceIndex: 1, fieldName: "owner_share", label: "Share", fieldType: "NUMBER", valueText: "40" },
        ],
      }),
    );
    expect(a.sections).toEqual([
      {
        slug: "company",
        title: "company",
        multipleEntries: false,
        answers: [{ name: "company_name", label: "Legal name", type: "TEXT", value: "Acme ApS" }],
      },
      {
        slug: "owners",
        title: "owners",
        multipleEntries: true,
        instances: [
          { answers: [{ name: "owner_name", label: "Name", type: "TEXT", value: "Ida" }] },
          {
            answers: [
              { name: "owner_name", label: "Name", type: "TEXT", value: "Bo" },
              { name: "owner_share", label: "Share", type: "NUMBER", value: "40" },
            ],
          },
        ],
      },
    ]);
  });
});

describe("last synced", () => {
  it("reads the form's submissions scope", () => {
    const states = [
      { scope: "forms", watermark: null, lastSyncedAt: "2026-03-01T09:00:00Z" },
      { scope: "submissions:f1", watermark: "x", lastSyncedAt: "2026-03-01T10:00:00Z" },
    ];
    expect(lastSyncedAt(states, "f1")).toBe("2026-03-01T10:00:00Z");
    expect(lastSyncedAt(states, "f2")).toBeNull();
  });

  it("says how long ago in words", () => {
    const now = new Date("2026-03-01T12:00:00Z");
    expect(sinceText(null, now)).toBe("never");
    expect(sinceText("2026-03-01T11:59:40Z", now)).toBe("just now");
    expect(sinceText("2026-03-01T11:59:00Z", now)).toBe("1 minute ago");
    expect(sinceText("2026-03-01T11:35:00Z", now)).toBe("25 minutes ago");
    expect(sinceText("2026-03-01T09:00:00Z", now)).toBe("3 hours ago");
    expect(sinceText("2026-02-20T09:00:00Z", now)).toMatch(/^20\/02\/2026 /);
  });
});
