import { describe, expect, it } from "vitest";
import { computeVisibility, conditionHolds, earlierFields, possibleValues, ruleHolds } from "./conditions";
import { onboardingForm } from "./fixtures.test-helpers";
import type { ConditionValue } from "./conditions";

const eq = (value: ConditionValue) => ({ operator: "EQUALS" as const, value });

describe("ruleHolds", () => {
  it("compares text after trimming", () => {
    expect(ruleHolds(eq("company"), "company")).toBe(true);
    expect(ruleHolds(eq("company"), " company ")).toBe(true);
    expect(ruleHolds(eq("company"), "Company")).toBe(false);
    expect(ruleHolds(eq("company"), "")).toBe(false);
  });

  it("compares numbers numerically", () => {
    expect(ruleHolds(eq(0), "0")).toBe(true);
    expect(ruleHolds(eq(0), "0.0")).toBe(true);
    expect(ruleHolds(eq("10"), 10)).toBe(true);
    expect(ruleHolds(eq(0), "")).toBe(false);
    expect(ruleHolds(eq(3), 4)).toBe(false);
  });

  it("compares booleans", () => {
    expect(ruleHolds(eq(true), true)).toBe(true);
    expect(ruleHolds(eq(true), "true")).toBe(true);
    expect(ruleHolds(eq("false"), false)).toBe(true);
    expect(ruleHolds(eq(true), false)).toBe(false);
    expect(ruleHolds(eq(true), "yes")).toBe(false);
  });

  it("holds for a multi-valued answer when any value matches", () => {
    expect(ruleHolds(eq("b"), ["a", "b"])).toBe(true);
    expect(ruleHolds(eq("c"), ["a", "b"])).toBe(false);
    expect(ruleHolds(eq("a"), [])).toBe(false);
  });

  it("never holds without an answer, a value, or with another operator", () => {
    expect(ruleHolds(eq("a"), undefined)).toBe(false);
    expect(ruleHolds(eq("a"), null)).toBe(false);
    expect(ruleHolds(eq(null), "a")).toBe(false);
    expect(ruleHolds({ operator: "CONTAINS" as "EQUALS", value: "a" }, "a")).toBe(false);
  });
});

describe("conditionHolds", () => {
  const answers: Record<string, string> = { a: "1", b: "2" };
  const lookup = (n: string) => answers[n];
  it("holds without a condition or rules", () => {
    expect(conditionHolds(undefined, lookup)).toBe(true);
    expect(conditionHolds(null, lookup)).toBe(true);
    expect(conditionHolds({ rules: [] }, lookup)).toBe(true);
  });
  it("needs every rule", () => {
    const r = (field: string, value: string) => ({ field, operator: "EQUALS" as const, value });
    expect(conditionHolds({ rules: [r("a", "1"), r("b", "2")] }, lookup)).toBe(true);
    expect(conditionHolds({ rules: [r("a", "1"), r("b", "3")] }, lookup)).toBe(false);
    expect(conditionHolds({ rules: [r("c", "1")] }, lookup)).toBe(false);
  });
});

describe("earlierFields", () => {
  const def = onboardingForm();
  it("offers the fields of earlier sections for a section condition", () => {
    expect(earlierFields(def, 0).map((f) => f.name)).toEqual([]);
    expect(earlierFields(def, 1).map((f) => f.name)).toEqual(["full_name", "email", "phone", "client_type"]);
  });
  it("adds the earlier fields of the same section for a field, skipping text blocks and files", () => {
    expect(earlierFields(def, 1, 2).map((f) => f.name)).toEqual(["full_name", "email", "phone", "client_type", "cvr", "employees"]);
    const names = earlierFields(def, 3, 2).map((f) => f.name);
    expect(names).not.toContain("id_document");
    expect(names).toContain("owner_since");
    expect(earlierFields(def, 3, 2).find((f) => f.name === "owner_name")?.repeatable).toBe(true);
    expect(earlierFields(def, 3, 2).find((f) => f.name === "cvr")?.repeatable).toBe(false);
  });
  it("lists a choice's values", () => {
    const choice = def.sections[0]!.fields[3]!;
    expect(possibleValues(choice)).toEqual([
      { label: "A private person", value: "person" },
      { label: "A company", value: "company" },
    ]);
    expect(possibleValues(def.sections[0]!.fields[0]!)).toBeNull();
  });
});

describe("computeVisibility", () => {
  const def = onboardingForm();

  it("hides the company section until the client says it is a company", () => {
    const before = computeVisibility(def, {});
    expect(before.sections.map((s) => s.visible)).toEqual([true, false, true, true]);
    expect(before.sections[1]!.instances[0]!.fields).toEqual([false, false, false]);

    const after = computeVisibility(def, { contact: [{ client_type: "company" }] });
    expect(after.sections.map((s) => s.visible)).toEqual([true, true, true, true]);
    // "activity" shows only when employees = 0.
    expect(after.sections[1]!.instances[0]!.fields).toEqual([true, true, false]);
    const none = computeVisibility(def, { contact: [{ client_type: "company" }], company: [{ employees: "0" }] });
    expect(none.sections[1]!.instances[0]!.fields).toEqual([true, true, true]);
  });

  it("ignores answers of fields that are hidden", () => {
    // employees = 0 was typed, then the client switched to "person": the company section hides,
    // so the activity field stays hidden although the old answer is still there.
    const v = computeVisibility(def, { contact: [{ client_type: "person" }], company: [{ employees: 0 }] });
    expect(v.sections[1]!.visible).toBe(false);
    expect(v.sections[1]!.instances[0]!.fields).toEqual([false, false, false]);
  });

  it("gives a repeatable section one entry per instance, each evaluated on its own answers", () => {
    const d = onboardingForm();
    d.sections[2]!.fields.push({
      type: "DATE",
      name: "owner_until",
      label: "Until",
      condition: { rules: [{ field: "owner_name", operator: "EQUALS", value: "Former" }] },
    });
    const v = computeVisibility(d, { owners: [{ owner_name: "Ada" }, { owner_name: "Former" }, {}] });
    const owners = v.sections[2]!;
    expect(owners.instances).toHaveLength(3);
    expect(owners.instances.map((i) => i.fields[3])).toEqual([false, true, false]);
  });

  it("reads the first instance of an earlier repeatable section", () => {
    const d = onboardingForm();
    d.sections[3]!.condition = { rules: [{ field: "owner_name", operator: "EQUALS", value: "Ada" }] };
    expect(computeVisibility(d, { owners: [{ owner_name: "Ada" }, { owner_name: "Bob" }] }).sections[3]!.visible).toBe(true);
    expect(computeVisibility(d, { owners: [{ owner_name: "Bob" }, { owner_name: "Ada" }] }).sections[3]!.visible).toBe(false);
  });
});
