import { describe, expect, it } from "vitest";
import { canDownloadSigned, documentsInOrder, filterCasefiles, nextStep, signerSteps, signingProgress } from "./records";

describe("casefile records", () => {
  it("allows downloads only when completed", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].filter(canDownloadSigned)).toEqual([5]);
  });

  it("groups signers into steps and orders documents", () => {
    const steps = signerSteps([
      { signerId: 1, signingOrder: 1 },
      { signerId: 2, signingOrder: 0 },
      { signerId: 3 },
      { signerId: 4, signingOrder: 1 },
    ]);
    expect(steps.map((g) => g.map((s) => s.signerId))).toEqual([[2], [1, 4], [3]]);
    expect(
      documentsInOrder([{ documentId: 1 }, { documentId: 2, docOrder: 1 }, { documentId: 3, docOrder: 0 }]).map((d) => d.documentId),
    ).toEqual([3, 2, 1]);
    expect(signingProgress({ signerCount: 3, signedCount: 2 })).toBe("2 of 3 signed");
  });

  it("says what happens next, with the time left while pending", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    expect(nextStep({ status: 1, expireAt: "2026-11-28T00:00:00Z" }, now)).toMatch(/It expires in 3 days\.$/);
    expect(nextStep({ status: 5 }, now)).toBe("Finished. The signed documents are ready to download.");
  });

  it("filters the list by status and by title or reference", () => {
    const list = [
      { casefileId: 1, title: "Engagement letter", reference: "CRM-1", status: 1, signerCount: 2, signedCount: 0 },
      { casefileId: 2, title: "Employment contract", reference: null, status: 5, signerCount: 1, signedCount: 1 },
      { casefileId: 3, title: "NDA", reference: "crm-7", status: 7, signerCount: 1, signedCount: 0 },
    ];
    expect(filterCasefiles(list, { statuses: [1, 7] }).map((c) => c.casefileId)).toEqual([1, 3]);
    expect(filterCasefiles(list, { search: "CRM" }).map((c) => c.casefileId)).toEqual([1, 3]);
    expect(filterCasefiles(list, { search: "contract", statuses: [5] }).map((c) => c.casefileId)).toEqual([2]);
    expect(filterCasefiles(list, {})).toHaveLength(3);
  });
});

describe("the list's query and the signer links", () => {
  it("turns the controls into the backend's query with inclusive local days", async () => {
    const { casefileQueryOf, dateRangeProblem } = await import("./records");
    const q = casefileQueryOf(
      { statuses: [5, 1], search: "  crm ", dateField: "updated", from: "2026-03-01", to: "2026-03-31" },
      50,
      "o:50",
    );
    expect(q).toMatchObject({ statuses: [1, 5], search: "crm", dateField: "updated", ascending: false, limit: 50, cursor: "o:50" });
    expect(new Date(q.from!).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(q.to!).getTime()).toBe(new Date(2026, 2, 31, 23, 59, 59).getTime());
    expect(casefileQueryOf({ statuses: [], search: "", dateField: "created", from: "", to: "" })).toMatchObject({
      from: null,
      to: null,
      search: null,
    });
    expect(dateRangeProblem({ from: "2026-04-01", to: "2026-03-01" })).toBe("The start date is after the end date.");
    expect(dateRangeProblem({ from: "2026-02-30", to: "" })).toBe("The start date is not a valid date.");
    expect(dateRangeProblem({ from: "2026-03-01", to: "2026-03-01" })).toBeNull();
  });
});

describe("the app's own references", () => {
  it("recognises desk-<uuid> only", async () => {
    const { isAppReference } = await import("./records");
    expect(isAppReference("desk-dd6287e0-dc1a-45b7-b393-a2191ae9c3f7")).toBe(true);
    expect(isAppReference("desk-2026")).toBe(false);
    expect(isAppReference("CRM-4711")).toBe(false);
    expect(isAppReference(null)).toBe(false);
  });
});
