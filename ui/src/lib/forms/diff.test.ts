import { describe, expect, it } from "vitest";
import { diffForms, jsonEqual } from "./diff";
import { editableDefinition } from "./duplicate";
import { onboardingForm } from "./fixtures.test-helpers";
import type { Form } from "../backend";

describe("jsonEqual", () => {
  it("ignores key order and treats a missing key like undefined", () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: null }, { a: undefined })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });
});

describe("diffForms", () => {
  it("finds nothing between a version and a copy of it, ignoring server bookkeeping", () => {
    const a: Form = { ...onboardingForm(), status: "ACTIVE", version: 1, formId: "f1", updatedAt: "2026-01-01" };
    const b: Form = { ...onboardingForm(), status: "DRAFT", version: 2, formId: "f1", updatedAt: "2026-02-01" };
    const d = diffForms(editableDefinition(a), editableDefinition(b));
    expect(d.changes).toEqual([]);
    expect(d.sections.every((s) => s.kind === "unchanged")).toBe(true);
    expect(d.summary).toEqual({
      settings: false,
      sections: { added: 0, removed: 0, changed: 0 },
      fields: { added: 0, removed: 0, changed: 0 },
    });
  });

  it("reports added, removed and changed sections and fields", () => {
    const a = onboardingForm();
    const b = onboardingForm();
    b.name = "Client onboarding v2";
    b.sections.splice(1, 1); // company removed
    b.sections.push({ slug: "pep", title: "Politically exposed", fields: [{ type: "TEXT", name: "pep_role", label: "Role" }] });
    b.sections[0]!.fields[2] = { ...b.sections[0]!.fields[2]!, required: true, countryCodes: ["DK"] };
    b.sections[0]!.fields.push({ type: "DATE", name: "birthday", label: "Birthday" });
    b.sections[1]!.fields.splice(2, 1); // owners.owner_since removed

    const d = diffForms(a, b);
    expect(d.changes).toEqual([{ key: "name", before: "Client onboarding (KYC)", after: "Client onboarding v2" }]);
    const kinds = Object.fromEntries(d.sections.map((s) => [s.slug, s.kind]));
    expect(kinds).toEqual({ contact: "changed", owners: "changed", confirm: "unchanged", pep: "added", company: "removed" });

    const contact = d.sections.find((s) => s.slug === "contact")!;
    const phone = contact.fields.find((f) => f.key === "phone")!;
    expect(phone.kind).toBe("changed");
    expect(phone.changes).toEqual([
      { key: "required", before: false, after: true },
      { key: "countryCodes", before: ["DK", "SE"], after: ["DK"] },
    ]);
    expect(contact.fields.find((f) => f.key === "birthday")?.kind).toBe("added");
    const owners = d.sections.find((s) => s.slug === "owners")!;
    expect(owners.fields.map((f) => [f.key, f.kind])).toEqual([
      ["owner_name", "unchanged"],
      ["owner_nin", "unchanged"],
      ["owner_since", "removed"],
    ]);
    // Each count matches the marks shown: pep added, company removed, contact and owners changed;
    // of their fields contact/birthday added, owners/owner_since removed, contact/phone changed.
    expect(d.summary).toEqual({
      settings: true,
      sections: { added: 1, removed: 1, changed: 2 },
      fields: { added: 1, removed: 1, changed: 1 },
    });
  });

  it("reports a field that moved to another section once, with its changes", () => {
    const a = onboardingForm();
    const b = onboardingForm();
    const [phone] = b.sections[0]!.fields.splice(2, 1);
    b.sections[3]!.fields.push({ ...phone!, label: "Mobile" });
    const d = diffForms(a, b);
    const moved = d.sections.flatMap((s) => s.fields.filter((f) => f.key === "phone").map((f) => ({ s: s.slug, f })));
    expect(moved).toHaveLength(1);
    expect(moved[0]!.s).toBe("confirm");
    expect(moved[0]!.f.movedFrom).toBe("contact");
    expect(moved[0]!.f.kind).toBe("changed");
    expect(moved[0]!.f.changes).toEqual([{ key: "label", before: "Phone", after: "Mobile" }]);
  });

  it("notices reordering of sections and fields", () => {
    const a = onboardingForm();
    const b = onboardingForm();
    b.sections.reverse();
    const f = b.sections[3]!.fields; // contact
    [f[0], f[1]] = [f[1]!, f[0]!];
    const d = diffForms(a, b);
    expect(d.sections.find((s) => s.slug === "contact")?.reordered).toBe(true);
    const contact = d.sections.find((s) => s.slug === "contact")!;
    expect(contact.fields.filter((x) => x.reordered).map((x) => x.key)).toEqual(["email", "full_name"]);
    expect(contact.kind).toBe("changed");
  });

  it("keeps unknown keys in the comparison", () => {
    const a = onboardingForm();
    const b = onboardingForm();
    b.additionalSignersConfig = { mode: "ANY" };
    (b.sections[0]!.fields[0] as Record<string, unknown>).placeholder = "Your name";
    const d = diffForms(a, b);
    expect(d.changes.map((c) => c.key)).toEqual(["additionalSignersConfig"]);
    expect(d.sections[0]!.fields[0]!.changes).toEqual([{ key: "placeholder", before: undefined, after: "Your name" }]);
  });

  it("matches nameless text blocks by position", () => {
    const a = onboardingForm();
    const b = onboardingForm();
    b.sections[3]!.fields[0]!.content = "<p>Thanks.</p>";
    const d = diffForms(a, b);
    const block = d.sections[3]!.fields[0]!;
    expect(block.key).toBe("#html-1");
    expect(block.kind).toBe("changed");
  });
});
