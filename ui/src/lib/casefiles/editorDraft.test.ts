import { describe, expect, it } from "vitest";
import { WebStorageDraftStore, type WebStorageLike } from "../forms/autosave";
import { CASEFILE_DRAFT_PREFIX, createCasefileDraft, isDraftShape, listCasefileDrafts } from "./drafts";
import { emptyDraft, toSendPayload, type CasefileEditorDraft } from "./editorDraft";

describe("toSendPayload", () => {
  it("drops local keys and blanks, trims, orders documents and keeps unknown keys", () => {
    const draft: CasefileEditorDraft = {
      title: "  Agreement ",
      reference: "",
      language: "da",
      sensitiveData: false,
      futureOption: { kept: true },
      ccRecipients: [],
      signers: [
        {
          localId: "s1",
          name: "Ida",
          email: " ida@example.org ",
          role: "customer",
          signOrder: 0,
          onBehalfOf: "",
          insecureSigningMethods: ["draw"],
        },
        { localId: "s2", name: "Mark", role: "supplier", signOrder: 5, enableInsecureSigning: true, insecureSigningMethods: ["text"] },
      ],
      documents: [
        { localId: "d2", title: "Prices", name: "prices.pdf", signable: false, roles: ["customer"], documentOrder: 1 },
        {
          localId: "d1",
          title: "Agreement",
          name: "agreement.pdf",
          signable: true,
          roles: ["customer"],
          documentOrder: 0,
          source: { path: "/x/agreement.pdf", fileName: "agreement.pdf", size: 3 },
        },
      ],
    };
    expect(toSendPayload(draft)).toEqual({
      caseFile: {
        title: "Agreement",
        language: "da",
        sensitiveData: false,
        futureOption: { kept: true },
        signers: [
          { name: "Ida", email: "ida@example.org", role: "customer", signOrder: 0, storeAsContact: false },
          {
            name: "Mark",
            role: "supplier",
            signOrder: 1,
            enableInsecureSigning: true,
            insecureSigningMethods: ["text"],
            storeAsContact: false,
          },
        ],
        documents: [
          { title: "Agreement", name: "agreement.pdf", roles: ["customer"], documentOrder: 0 },
          { title: "Prices", name: "prices.pdf", signable: false, documentOrder: 1 },
        ],
      },
    });
  });
});

describe("storeAsContact and the signer options", () => {
  it("always says storeAsContact, false unless the box was ticked, for signers and copy recipients", () => {
    // A draft saved before these options existed: no storeAsContact anywhere.
    const old = JSON.parse(
      JSON.stringify({
        title: "Old",
        signers: [{ localId: "s1", name: "Ida", email: "ida@example.org", role: "customer", signOrder: 0 }],
        documents: [{ localId: "d1", title: "A", name: "a.pdf", roles: ["customer"] }],
        ccRecipients: [{ name: "Legal", email: "legal@example.org" }],
      }),
    ) as CasefileEditorDraft;
    const payload = toSendPayload(old).caseFile as { signers: Record<string, unknown>[]; ccRecipients: Record<string, unknown>[] };
    expect(payload.signers[0]!.storeAsContact).toBe(false);
    expect(payload.ccRecipients[0]).toEqual({ name: "Legal", email: "legal@example.org", storeAsContact: false });

    old.signers[0]!.storeAsContact = true;
    old.ccRecipients![0]!.storeAsContact = true;
    const ticked = toSendPayload(old).caseFile as typeof payload;
    expect(ticked.signers[0]!.storeAsContact).toBe(true);
    expect(ticked.ccRecipients[0]!.storeAsContact).toBe(true);
  });

  it("sends the electronic IDs, ID type, VAT number and on-behalf-of as given", () => {
    const draft: CasefileEditorDraft = {
      ...emptyDraft(),
      title: "Options",
      signers: [
        {
          localId: "s1",
          name: "Ida",
          role: "customer",
          signOrder: 0,
          secureSigningMethods: ["mitid.dk", "qes.personal.mitid.dk", "ausweisapp.bund.de"],
          ssnType: "google:oidc",
          vatin: " DK12345678 ",
          onBehalfOf: "Holm ApS",
        },
        { localId: "s2", name: "Mark", role: "supplier", signOrder: 1, secureSigningMethods: [] },
      ],
    };
    const [ida, mark] = (toSendPayload(draft).caseFile as { signers: Record<string, unknown>[] }).signers;
    expect(ida).toEqual({
      name: "Ida",
      role: "customer",
      signOrder: 0,
      secureSigningMethods: ["mitid.dk", "qes.personal.mitid.dk", "ausweisapp.bund.de"],
      ssnType: "google:oidc",
      vatin: "DK12345678",
      onBehalfOf: "Holm ApS",
      storeAsContact: false,
    });
    expect(mark).not.toHaveProperty("secureSigningMethods");
  });
});

describe("casefile drafts", () => {
  it("creates, lists newest first and skips foreign entries", async () => {
    const data = new Map<string, string>();
    const storage: WebStorageLike = {
      get length() {
        return data.size;
      },
      key: (i) => [...data.keys()][i] ?? null,
      getItem: (k) => data.get(k) ?? null,
      setItem: (k, v) => void data.set(k, v),
      removeItem: (k) => void data.delete(k),
    };
    const store = new WebStorageDraftStore<CasefileEditorDraft>(storage, CASEFILE_DRAFT_PREFIX);
    await createCasefileDraft("a", store, () => new Date("2026-01-01T00:00:00Z"));
    await createCasefileDraft("b", store, () => new Date("2026-02-01T00:00:00Z"));
    // Something else kept under the same prefix in the webview's storage.
    storage.setItem(
      `${CASEFILE_DRAFT_PREFIX}junk`,
      JSON.stringify({ key: "junk", value: { nope: 1 }, savedAt: "2027-01-01T00:00:00Z", baseVersion: null }),
    );
    expect((await listCasefileDrafts(store)).map((r) => r.key)).toEqual(["b", "a"]);
    expect(isDraftShape(emptyDraft())).toBe(true);
    expect(isDraftShape(null)).toBe(false);
  });
});
