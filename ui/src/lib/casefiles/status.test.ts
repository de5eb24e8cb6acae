import { describe, expect, it } from "vitest";
import { CASEFILE_STATUSES, casefileStatus, signerStatus } from "./status";

describe("casefile statuses", () => {
  it("covers all nine codes with a label, tone and next step", () => {
    expect(CASEFILE_STATUSES.map((s) => s.code)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const s of CASEFILE_STATUSES) {
      expect(s.label.length).toBeGreaterThan(0);
      expect(s.next.length).toBeGreaterThan(10);
    }
    expect(new Set(CASEFILE_STATUSES.map((s) => s.label)).size).toBe(9);
  });

  it("marks the statuses that will not change again", () => {
    expect(CASEFILE_STATUSES.filter((s) => s.terminal).map((s) => s.code)).toEqual([2, 3, 5, 6, 7, 8]);
    expect(casefileStatus(5)).toMatchObject({ label: "Completed", tone: "success" });
    expect(casefileStatus(4)).toMatchObject({ label: "Signed", terminal: false });
  });

  it("shows an unknown code rather than failing", () => {
    expect(casefileStatus(11)).toMatchObject({ key: "unknown", label: "Unknown status (11)", terminal: false });
    expect(casefileStatus(null).label).toBe("Unknown status (?)");
  });
});

describe("signer statuses", () => {
  it("maps Penneo's codes and the backend's words", () => {
    expect([0, 1, 2, 3, 4, 6, 8, 9].map((c) => signerStatus(c).stage)).toEqual([
      "sent",
      "opened",
      "opened",
      "signed",
      "rejected",
      "undeliverable",
      "signed",
      "deleted",
    ]);
    expect(signerStatus("Signed").label).toBe("Signed");
    expect(signerStatus("waiting").stage).toBe("waiting");
  });

  it("is tolerant of unknown codes", () => {
    expect(signerStatus(5)).toMatchObject({ stage: "unknown", label: "Unknown (5)" });
    expect(signerStatus("toString")).toMatchObject({ stage: "unknown", label: "Unknown (toString)" });
    expect(signerStatus(undefined).label).toBe("Unknown");
  });
});

describe("a cached signer's status", () => {
  it("shows the learned meaning, or a neutral label with the raw code until it is learned", async () => {
    const { signerRecordStatus } = await import("./status");
    expect(signerRecordStatus({ status: "signed", statusCode: 4 })).toMatchObject({ stage: "signed", label: "Signed" });
    expect(signerRecordStatus({ status: "signed", statusCode: 3 })).toMatchObject({ stage: "signed" });
    expect(signerRecordStatus({ status: "requestOpened", statusCode: 1 }).stage).toBe("opened");
    expect(signerRecordStatus({ status: "new", statusCode: 0 }).stage).toBe("waiting");
    expect(signerRecordStatus({ status: "unknown", statusCode: 7 })).toMatchObject({ stage: "unknown", label: "Unknown (7)" });
    expect(signerRecordStatus({ status: null, statusCode: 3 })).toMatchObject({
      stage: "unknown",
      label: "Status code 3",
      tone: "neutral",
    });
    expect(signerRecordStatus({ status: null, statusCode: null }).label).toBe("No status yet");
  });
});
