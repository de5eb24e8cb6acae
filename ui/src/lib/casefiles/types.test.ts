import { describe, expect, it } from "vitest";
import { MemoryDraftStore } from "../forms/autosave";
import { createCasefileDraft, isDraftShape, listCasefileDrafts } from "./drafts";
import { emptyDraft, toSendPayload, type CaseFileDraft } from "./types";

describe("toSendPayload", () => {
  it("drops local keys and blanks, trims, orders documents and keeps unknown keys", () => {
    const draft: CaseFileDraft = {
      title: "  Agreement ",
      reference: "",
      language: "da",
      sensitiveData: false,
      futureOption: { kept: true },
      ccRecipients: [],
      signers: [
        { localId: "s1", name: "Ida", email: " ida@example.org ", role: "customer", signOrder: 0, onBehalfOf: "", insecureSigningMethods: ["draw"] },
        { localId: "s2", name: "Mark", role: "supplier", signOrder: 5, enableInsecureSigning: true, insecureSigningMethods: ["text"] },
      ],
      documents: [
        { localId: "d2", title: "Prices", name: "prices.pdf", signable: false, roles: ["customer"], documentOrder: 1 },
        { localId: "d1", title: "Agreement", name: "agreement.pdf", signable: true, roles: ["customer"], documentOrder: 0, source: { path: "/x/agreement.pdf", fileName: "agreement.pdf", size: 3 } },
      ],
    };
    expect(toSendPayload(draft)).toEqual({
      caseFile: {
        title: "Agreement",
        language: "da",
        sensitiveData: false,
        futureOption: { kept: true },
        signers: [
          { name: "Ida", email: "ida@example.org", role: "customer", signOrder: 0 },
          { name: "Mark", role: "supplier", signOrder: 1, enableInsecureSigning: true, insecureSigningMethods: ["text"] },
        ],
        documents: [
          { title: "Agreement", name: "agreement.pdf", roles: ["customer"], documentOrder: 0 },
          { title: "Prices", name: "prices.pdf", signable: false, documentOrder: 1 },
        ],
      },
    });
  });
});

describe("casefile drafts", () => {
  it("creates, lists newest first and skips foreign entries", async () => {
    const store = new MemoryDraftStore<CaseFileDraft>();
    await createCasefileDraft("a", store, () => new Date("2026-01-01T00:00:00Z"));
    await createCasefileDraft("b", store, () => new Date("2026-02-01T00:00:00Z"));
    await store.save({ key: "junk", value: { nope: 1 } as unknown as CaseFileDraft, savedAt: "2027-01-01T00:00:00Z", baseVersion: null });
    expect((await listCasefileDrafts(store)).map((r) => r.key)).toEqual(["b", "a"]);
    expect(isDraftShape(emptyDraft())).toBe(true);
    expect(isDraftShape(null)).toBe(false);
  });
});
