import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n.svelte";
import { hasErrors, isEmail, issuesUnder, validateDraft, type DraftIssue } from "./validate";
import type { CasefileEditorDraft } from "./editorDraft";

const NOW = 1_800_000_000;

function good(): CasefileEditorDraft {
  return {
    title: "Framework agreement 2026",
    language: "da",
    visibilityMode: 0,
    signers: [
      { localId: "s1", name: "Ida Holm", email: "ida@example.org", role: "customer", signOrder: 0 },
      { localId: "s2", name: "Mark Berg", email: "mark@example.org", role: "supplier", signOrder: 1 },
    ],
    documents: [
      {
        localId: "d1",
        title: "Agreement",
        name: "agreement.pdf",
        documentOrder: 0,
        roles: ["customer", "supplier"],
        source: { path: "/x/agreement.pdf", fileName: "agreement.pdf", size: 10 },
      },
      { localId: "d2", title: "Prices", name: "prices.pdf", signable: false, documentOrder: 1 },
    ],
  };
}

function codes(issues: DraftIssue[], severity?: "error" | "warning"): string[] {
  return issues.filter((i) => !severity || i.severity === severity).map((i) => `${i.path}:${i.code}`);
}

describe("validateDraft", () => {
  it("accepts a complete draft", () => {
    expect(validateDraft(good(), { now: NOW })).toEqual([]);
  });

  it("checks the title", () => {
    const d = good();
    d.title = "  ";
    expect(codes(validateDraft(d, { now: NOW }))).toEqual(["title:title.required"]);
    d.title = "x".repeat(1024);
    expect(validateDraft(d, { now: NOW })).toEqual([]);
    d.title = "x".repeat(1025);
    expect(codes(validateDraft(d, { now: NOW }))).toEqual(["title:title.tooLong"]);
  });

  it("requires a signer and a signable document", () => {
    const d = good();
    d.signers = [];
    d.documents = [];
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual(["signers:signers.required", "documents:documents.required"]);
    const e = good();
    e.documents = e.documents.map((x) => ({ ...x, signable: false }));
    expect(codes(validateDraft(e, { now: NOW }), "error")).toEqual(["documents:documents.noneSignable"]);
  });

  it("requires each signable document to be signed by a role some signer has", () => {
    const d = good();
    d.documents[0]!.roles = ["auditor"];
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual([
      "documents[0].roles:document.roles.none",
      "documents[0].roles:document.roles.unknown",
    ]);
    d.documents[0]!.roles = [];
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual(["documents[0].roles:document.roles.none"]);
    // Signers whose role signs nothing are warned about.
    expect(codes(validateDraft(d, { now: NOW }), "warning")).toEqual([
      "signers[0].role:signer.role.unused",
      "signers[1].role:signer.role.unused",
    ]);
  });

  it("requires unique document names equal to the file names", () => {
    const d = good();
    d.documents[1]!.name = "agreement.pdf";
    d.documents[0]!.name = "renamed.pdf";
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual(["documents[0].name:document.name.mismatch"]);
    d.documents[0]!.name = "agreement.pdf";
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual(["documents[1].name:document.name.duplicate"]);
  });

  it("checks emails of signers and copy recipients", () => {
    const d = good();
    d.signers[0]!.email = "ida@";
    d.ccRecipients = [{ name: "", email: "legal@example" }];
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual([
      "ccRecipients[0].name:cc.name.required",
      "ccRecipients[0].email:cc.email.invalid",
      "signers[0].email:signer.email.invalid",
    ]);
    for (const ok of ["a@b.dk", "first.last+tag@sub.example.co.uk", "x_y@e-x.io"]) expect(isEmail(ok)).toBe(true);
    for (const bad of ["a@b", "a b@c.dk", "a@@b.dk", ".a@b.dk", "a..b@c.dk", "a@b..dk", "@b.dk", ""]) expect(isEmail(bad)).toBe(false);
  });

  it("enforces the minimum lengths, reminder interval and URLs of a signer", () => {
    const d = good();
    Object.assign(d.signers[0]!, {
      emailSubject: "Hi",
      emailText: "Please sign",
      reminderInterval: 0,
      successUrl: "http",
      failUrl: "ftp://example.org",
      completedEmailText: "abcd",
    });
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual([
      "signers[0].emailSubject:signer.emailSubject.tooShort",
      "signers[0].completedEmailText:signer.completedEmailText.tooShort",
      "signers[0].reminderInterval:signer.reminderInterval.invalid",
      "signers[0].successUrl:signer.successUrl.tooShort",
      "signers[0].failUrl:signer.failUrl.invalid",
    ]);
    Object.assign(d.signers[0]!, {
      emailSubject: "Hello",
      reminderInterval: 1.5,
      successUrl: "https://e.org/ok",
      failUrl: null,
      completedEmailText: "",
    });
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual(["signers[0].reminderInterval:signer.reminderInterval.invalid"]);
    d.signers[0]!.reminderInterval = 1;
    expect(validateDraft(d, { now: NOW })).toEqual([]);
  });

  it("checks enums of a signer", () => {
    const d = good();
    Object.assign(d.signers[1]!, {
      ssnType: "dk:xyz",
      language: "nb",
      enableInsecureSigning: true,
      insecureSigningMethods: ["draw", "voice"],
    });
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual([
      "signers[1].ssnType:signer.ssnType.unknown",
      "signers[1].language:signer.language.unknown",
      "signers[1].insecureSigningMethods:signer.insecureSigningMethods.unknown",
    ]);
  });

  it("checks roles against the Send schema, at the signer and at each document", () => {
    const d = good();
    d.signers[0]!.role = "Køber";
    d.documents[0]!.roles = ["Køber", "supplier"];
    const issues = validateDraft(d, { now: NOW });
    expect(codes(issues, "error")).toEqual(["signers[0].role:signer.role.invalid", "documents[0].roles:document.roles.invalid"]);
    expect(issues[0]!.message).toContain("æ, ø, å");
    d.signers[0]!.role = "ab";
    d.documents[0]!.roles = ["ab", "supplier"];
    const short = validateDraft(d, { now: NOW });
    expect(codes(short, "error")).toEqual(["signers[0].role:signer.role.invalid", "documents[0].roles:document.roles.invalid"]);
    expect(short[0]!.message).toContain("at least 3");
    d.signers[0]!.role = "-buyer";
    d.documents[0]!.roles = ["-buyer", "supplier"];
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual([
      "signers[0].role:signer.role.invalid",
      "documents[0].roles:document.roles.invalid",
    ]);
    // Trailing spaces are trimmed before sending, so they are no problem.
    d.signers[0]!.role = "Board member, 2_a- ";
    d.documents[0]!.roles = ["Board member, 2_a-", "supplier"];
    expect(validateDraft(d, { now: NOW })).toEqual([]);
  });

  it("wants a sign order of 0 or more", () => {
    const d = good();
    d.signers[1]!.signOrder = -1;
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual(["signers[1].signOrder:signer.signOrder.invalid"]);
    d.signers[1]!.signOrder = 0;
    expect(validateDraft(d, { now: NOW })).toEqual([]);
  });

  it("knows the electronic IDs and ID types the Send schema accepts", () => {
    const d = good();
    Object.assign(d.signers[0]!, { ssnType: "google:oidc", secureSigningMethods: ["mitid.dk", "passport-reader.eident.dk"] });
    Object.assign(d.signers[1]!, { ssnType: "microsoft:oidc", secureSigningMethods: ["bankid_no", "nemid"] });
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual(["signers[1].secureSigningMethods:signer.secureSigningMethods.unknown"]);
    d.signers[1]!.secureSigningMethods = ["bankid_no"];
    expect(validateDraft(d, { now: NOW })).toEqual([]);
  });

  it("wants expiry in the future and after the send time", () => {
    const d = good();
    d.expireAt = NOW - 1;
    expect(codes(validateDraft(d, { now: NOW }))).toEqual(["expireAt:expireAt.past"]);
    d.expireAt = NOW + 100;
    d.sendAt = NOW + 200;
    expect(codes(validateDraft(d, { now: NOW }))).toEqual(["expireAt:expireAt.beforeSend"]);
    d.sendAt = NOW + 50;
    expect(validateDraft(d, { now: NOW })).toEqual([]);
    d.sendAt = NOW - 10;
    expect(codes(validateDraft(d, { now: NOW }))).toEqual(["sendAt:sendAt.past"]);
    expect(hasErrors(validateDraft(d, { now: NOW }))).toBe(false);
  });

  it("checks casefile options", () => {
    const d = good();
    Object.assign(d, { senderName: "A", folderId: 0, language: "nb", visibilityMode: 2 });
    expect(codes(validateDraft(d, { now: NOW }), "error")).toEqual([
      "language:language.unknown",
      "folderId:folderId.invalid",
      "visibilityMode:visibilityMode.invalid",
      "senderName:senderName.length",
    ]);
    Object.assign(d, { senderName: "Ab", folderId: 3, language: "no", visibilityMode: 1 });
    expect(validateDraft(d, { now: NOW })).toEqual([]);
    d.senderName = "x".repeat(256);
    expect(codes(validateDraft(d, { now: NOW }))).toEqual(["senderName:senderName.length"]);
  });

  it("groups issues under a path", () => {
    const d = good();
    d.signers[1]!.name = "";
    d.signers[1]!.email = "bad";
    const issues = validateDraft(d, { now: NOW });
    expect(issuesUnder(issues, "signers[1]").map((i) => i.code)).toEqual(["signer.name.required", "signer.email.invalid"]);
    expect(issuesUnder(issues, "signers[0]")).toEqual([]);
  });
});

describe("the checks in the UI's language", () => {
  afterEach(() => setLanguage("system"));

  it("words each problem in Danish, with the same codes and the values quoted", () => {
    setLanguage("da");
    const d = good();
    d.title = "";
    d.signers![0]!.email = "ida@";
    d.signers![1]!.role = "kunde æble";
    d.documents![0]!.roles = ["customer", "kunde æble"];
    const issues = validateDraft(d, { now: NOW });
    const byCode = Object.fromEntries(issues.map((i) => [i.code, i.message]));
    expect(byCode["title.required"]).toBe("Giv sagen en titel.");
    expect(byCode["signer.email.invalid"]).toBe("»ida@« er ikke en gyldig e-mailadresse.");
    expect(byCode["signer.role.invalid"]).toBe(
      "Penneo tillader ikke æ, ø, å eller andre bogstaver uden for a–z i en rolle (»kunde æble«).",
    );
    expect(validateDraft({ title: "x", signers: [], documents: [] }, { now: NOW }).map((i) => i.message)).toEqual(
      expect.arrayContaining(["Tilføj mindst én underskriver.", "Tilføj mindst ét dokument."]),
    );
    setLanguage("en");
    expect(validateDraft(d, { now: NOW }).find((i) => i.code === "title.required")?.message).toBe("Give the casefile a title.");
  });
});
