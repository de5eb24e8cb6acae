import { describe, expect, it } from "vitest";
import { isValidRole, renameRoleInDraft, roleProblem, roleSuggestion } from "./roles";
import type { CasefileEditorDraft } from "./editorDraft";
import spellings from "../../../../crates/penneo/tests/fixtures/role_spellings.json";

describe("roles", () => {
  it("follows the Send schema's pattern and minimum length (the same cases as the Rust client)", () => {
    for (const ok of ["Client", "Board member, 2_a-", "abc", "A-1", "x,,"]) expect(isValidRole(ok), ok).toBe(true);
    for (const bad of ["ab", "Køber", "Buyer ", "-Buyer", " Buyer", "Sælger", "a.b", "", "Café"]) expect(isValidRole(bad), bad).toBe(false);
  });

  it("says æ, ø and å are not allowed when a role has them", () => {
    expect(roleProblem("Køber")).toContain("does not allow æ, ø, å");
    expect(roleProblem("Müller")).toContain("does not allow æ, ø, å");
    expect(roleProblem("ab")).toContain("at least 3");
    expect(roleProblem("a.b")).toContain("only have the letters a–z");
    expect(roleProblem("Client")).toBeNull();
  });

  it("offers a spelling without æ, ø, å and other accents", () => {
    expect(roleSuggestion("Køber")).toBe("Koeber");
    expect(roleSuggestion("Sælger")).toBe("Saelger");
    expect(roleSuggestion("Ægtefælle på skødet")).toBe("Aegtefaelle paa skoedet");
    expect(roleSuggestion("ÅSE ØRSTED")).toBe("AaSE OeRSTED");
    expect(roleSuggestion("Revisor, café")).toBe("Revisor, cafe");
    expect(roleSuggestion("Müller")).toBe("Mueller");
    expect(roleSuggestion("-Køber. ")).toBe("Koeber");
    // Nothing to offer: already fine, or still too short.
    expect(roleSuggestion("Client")).toBeNull();
    expect(roleSuggestion("é")).toBeNull();
    for (const r of ["Køber", "Ægtefælle på skødet", "-Køber. "]) expect(isValidRole(roleSuggestion(r)!)).toBe(true);
  });

  it("offers the same spelling as the Rust client (the shared table)", () => {
    expect(spellings.cases.length).toBeGreaterThanOrEqual(10);
    for (const [role, offered] of spellings.cases) {
      if (typeof role !== "string") throw new Error(`a case without a role: ${JSON.stringify([role, offered])}`);
      expect(roleSuggestion(role), role).toBe(offered ?? null);
    }
  });

  it("renames a role on every signer and document that uses it", () => {
    const draft: CasefileEditorDraft = {
      title: "x",
      signers: [
        { localId: "a", name: "A", role: "Køber", signOrder: 0 },
        { localId: "b", name: "B", role: "Køber ", signOrder: 0 },
        { localId: "c", name: "C", role: "Sælger", signOrder: 1 },
      ],
      documents: [
        { localId: "d1", title: "Deed", name: "d1.pdf", roles: ["Køber", "Sælger"] },
        { localId: "d2", title: "Terms", name: "d2.pdf", roles: ["Koeber", "Køber"] },
        { localId: "d3", title: "Other", name: "d3.pdf", roles: ["Sælger"] },
      ],
    };
    const next = renameRoleInDraft(draft, "Køber", "Koeber");
    expect(next.signers.map((s) => s.role)).toEqual(["Koeber", "Koeber", "Sælger"]);
    expect(next.documents.map((d) => d.roles)).toEqual([["Koeber", "Sælger"], ["Koeber"], ["Sælger"]]);
    expect(next.documents[2]).toBe(draft.documents[2]);
    expect(draft.signers[0]!.role).toBe("Køber");
  });
});
