import { describe, expect, it } from "vitest";
import { compareAnswers } from "./compare";
import { FORM, answers } from "./fixtures.test-helpers";

describe("comparing two submissions", () => {
  it("marks each field same, changed, only-left or only-right, instance by instance", () => {
    const left = answers("Ida", ["Acme A/S", "Nordvind ApS"], { phones: ["+4587654321", "+4512345678"] });
    const right = answers("Ida", ["Acme A/S"], { kind: "sole" });
    right.sections[0]!.answers!.push({ name: "new_field", value: "x" });
    const c = compareAnswers(left, right, FORM);
    const rows = c.sections.flatMap((s) => s.rows.map((r) => `${r.key}:${r.status}`));
    expect(rows).toEqual([
      "contact_name:same",
      "contact_phone:same", // same values in another order
      "supplier_kind:changed",
      "founded:same",
      "new_field:only-right",
      "references[1].reference_customer:same",
      "references[2].reference_customer:only-left",
    ]);
    expect(c.counts).toEqual({ same: 4, changed: 1, "only-left": 1, "only-right": 1 });
    expect(c.sections.map((s) => [s.key, s.repeated])).toEqual([
      ["contact", false],
      ["references", true],
    ]);
    expect(c.sections[1]!.rows[1]!.instance).toBe(2);
  });

  it("works without a form definition and with a missing side", () => {
    const c = compareAnswers(answers("A", ["x"]), null);
    expect(c.counts["only-left"]).toBe(5);
    expect(c.sections.map((s) => s.key)).toEqual(["contact_person", "customer_references"]);
  });
});
