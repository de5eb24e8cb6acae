import { describe, expect, it } from "vitest";
import {
  checkIncomingNames,
  documentFromFile,
  fileNameOf,
  formatBytes,
  inDocumentOrder,
  moveDocument,
  normaliseDocumentOrder,
  renameRoleOnDocuments,
  rolesOf,
  setSignable,
  titleFromFileName,
  toggleRole,
} from "./documents";
import type { DocumentDraft } from "./editorDraft";

const d = (localId: string, documentOrder: number, extra: Partial<DocumentDraft> = {}): DocumentDraft => ({
  localId,
  title: localId,
  name: `${localId}.pdf`,
  documentOrder,
  ...extra,
});

describe("titles and names", () => {
  it("derives a title from a file name", () => {
    expect(titleFromFileName("engagement_letter-2026.pdf")).toBe("Engagement letter 2026");
    expect(titleFromFileName("/home/ida/Docs/Price list.PDF")).toBe("Price list");
    expect(titleFromFileName("C:\\Users\\x\\contract__v1.2.final.pdf")).toBe("Contract v1.2 final");
    expect(titleFromFileName("NDA - Acme A-S.pdf")).toBe("NDA - Acme A S");
    expect(titleFromFileName("iPhone policy.pdf")).toBe("iPhone policy");
    expect(titleFromFileName(".pdf")).toBe(".pdf");
    expect(titleFromFileName("x".repeat(2000) + ".pdf")).toHaveLength(1024);
  });

  it("takes the last path segment", () => {
    expect(fileNameOf("/a/b/c.pdf")).toBe("c.pdf");
    expect(fileNameOf("C:\\a\\b.pdf")).toBe("b.pdf");
    expect(fileNameOf("plain.pdf")).toBe("plain.pdf");
  });

  it("formats sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
    expect(formatBytes(300 * 1024 * 1024)).toBe("300 MB");
  });
});

describe("order", () => {
  it("sorts by documentOrder with ties in array order and renumbers", () => {
    const docs = [d("a", 4), d("b", 1), d("c", 4), d("e", 0)];
    expect(inDocumentOrder(docs).map((x) => x.localId)).toEqual(["e", "b", "a", "c"]);
    expect(normaliseDocumentOrder(docs).map((x) => [x.localId, x.documentOrder])).toEqual([
      ["e", 0],
      ["b", 1],
      ["a", 2],
      ["c", 3],
    ]);
  });

  it("moves a document and renumbers", () => {
    const docs = [d("a", 0), d("b", 1), d("c", 2)];
    const out = moveDocument(docs, 2, 0);
    expect(out.map((x) => `${x.localId}${x.documentOrder}`)).toEqual(["c0", "a1", "b2"]);
    expect(moveDocument(docs, 0, 99).map((x) => x.localId)).toEqual(["b", "c", "a"]);
    expect(moveDocument(docs, 7, 0).map((x) => x.localId)).toEqual(["a", "b", "c"]);
  });

  it("places a new document last, signed by the given roles, titled from its file", () => {
    const doc = documentFromFile(
      { path: "/x/side_letter.pdf", fileName: "side_letter.pdf", size: 10 },
      [d("a", 0), d("b", 3)],
      ["customer"],
      "new1",
    );
    expect(doc).toMatchObject({
      localId: "new1",
      name: "side_letter.pdf",
      title: "Side letter",
      documentOrder: 4,
      signable: true,
      roles: ["customer"],
    });
  });
});

describe("roles", () => {
  it("lists distinct trimmed roles in signer order", () => {
    expect(rolesOf([{ role: " customer" }, { role: "" }, { role: "supplier" }, { role: "customer " }, {}])).toEqual([
      "customer",
      "supplier",
    ]);
  });

  it("toggles and switches signable", () => {
    const doc = d("a", 0, { roles: ["x"] });
    expect(toggleRole(doc, "y").roles).toEqual(["x", "y"]);
    expect(toggleRole(doc, "x").roles).toEqual([]);
    expect(setSignable(doc, false).signable).toBe(false);
    expect(setSignable(d("b", 0, { signable: false, roles: [] }), true, ["r"]).roles).toEqual(["r"]);
  });

  it("follows a role rename unless another signer keeps the old role", () => {
    const docs = [d("a", 0, { roles: ["buyer", "seller"] }), d("b", 1, { roles: ["seller"] })];
    const alone = [
      { localId: "1", role: "client" },
      { localId: "2", role: "seller" },
    ];
    expect(renameRoleOnDocuments(docs, alone, "1", "buyer", "client").map((x) => x.roles)).toEqual([["seller", "client"], ["seller"]]);
    const shared = [
      { localId: "1", role: "client" },
      { localId: "3", role: "buyer" },
    ];
    expect(renameRoleOnDocuments(docs, shared, "1", "buyer", "client").map((x) => x.roles)).toEqual([
      ["buyer", "seller", "client"],
      ["seller"],
    ]);
    expect(renameRoleOnDocuments(docs, [{ localId: "1", role: "" }], "1", "buyer", "").map((x) => x.roles)).toEqual([
      ["seller"],
      ["seller"],
    ]);
  });
});

describe("incoming files", () => {
  it("rejects names already in the draft or twice in the batch", () => {
    const r = checkIncomingNames([{ path: "/a/x.pdf" }, { path: "/b/new.pdf" }, { path: "/c/new.pdf" }], [d("x", 0)]);
    expect(r.accepted.map((f) => f.path)).toEqual(["/b/new.pdf"]);
    expect(r.rejected.map((f) => f.fileName)).toEqual(["x.pdf", "new.pdf"]);
    expect(r.rejected[0]?.message).toContain("already in this casefile");
  });
});
