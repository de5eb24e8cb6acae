import { describe, expect, it } from "vitest";
import { onboardingForm } from "./fixtures.test-helpers";
import type { FormDefinition, Field as FormField } from "../backend";
import { hasErrors, issuesAt, issuesUnder, locateServerIssue, mergeFieldsIn, validateForm, type ValidationIssue } from "./validate";

function errors(def: FormDefinition): ValidationIssue[] {
  return validateForm(def).filter((i) => i.severity === "error");
}

function codesAt(def: FormDefinition, path: string): string[] {
  return issuesAt(validateForm(def), path).map((i) => i.code);
}

function field(def: FormDefinition, si: number, fi: number): FormField {
  const f = def.sections[si]?.fields[fi];
  if (!f) throw new Error(`no field ${si}/${fi}`);
  return f;
}

describe("validateForm on a valid form", () => {
  it("finds nothing wrong with the onboarding form", () => {
    expect(validateForm(onboardingForm())).toEqual([]);
  });
});

describe("form-level rules", () => {
  it("requires a name", () => {
    const def = onboardingForm();
    def.name = "  ";
    expect(codesAt(def, "name")).toEqual(["form.name.required"]);
    expect(hasErrors(validateForm(def))).toBe(true);
  });

  it("warns about an empty form and unknown title merge fields, without errors", () => {
    const def = onboardingForm();
    def.caseFileTitleTemplate = "{{formName}} {{cvr}} {{nope}}";
    expect(codesAt(def, "caseFileTitleTemplate")).toEqual(["form.titleTemplate.unknownMergeField"]);
    const empty: FormDefinition = { name: "x", sections: [] };
    expect(validateForm(empty).map((i) => [i.path, i.severity])).toEqual([["sections", "warning"]]);
    expect(hasErrors(validateForm(empty))).toBe(false);
  });
});

describe("sections", () => {
  it("requires unique, non-empty slugs and flags the later duplicate", () => {
    const def = onboardingForm();
    def.sections[2]!.slug = "contact";
    def.sections[3]!.slug = "";
    expect(codesAt(def, "sections[0].slug")).toEqual([]);
    expect(codesAt(def, "sections[2].slug")).toEqual(["section.slug.duplicate"]);
    expect(codesAt(def, "sections[3].slug")).toEqual(["section.slug.required"]);
  });

  it("checks multipleEntries.max is a whole number ≥ 1", () => {
    for (const bad of [0, -1, 1.5, "3", null as unknown]) {
      const def = onboardingForm();
      def.sections[2]!.multipleEntries = { max: bad as number };
      expect(codesAt(def, "sections[2].multipleEntries.max")).toEqual(["multipleEntries.max.invalid"]);
    }
    const def = onboardingForm();
    def.sections[2]!.multipleEntries = { max: 1 };
    expect(errors(def)).toEqual([]);
  });

  it("only lets a section condition name fields of earlier sections", () => {
    const def = onboardingForm();
    def.sections[1]!.condition = { rules: [{ field: "cvr", operator: "EQUALS", value: "x" }] };
    expect(codesAt(def, "sections[1].condition.rules[0].field")).toEqual(["condition.rule.field.notEarlier"]);
    def.sections[1]!.condition = { rules: [{ field: "owner_name", operator: "EQUALS", value: "x" }] };
    expect(codesAt(def, "sections[1].condition.rules[0].field")).toEqual(["condition.rule.field.notEarlier"]);
    def.sections[1]!.condition = { rules: [{ field: "missing", operator: "EQUALS", value: "x" }] };
    expect(codesAt(def, "sections[1].condition.rules[0].field")).toEqual(["condition.rule.field.unknown"]);
    def.sections[1]!.condition = { rules: [] };
    expect(codesAt(def, "sections[1].condition")).toEqual(["condition.empty"]);
  });
});

describe("field names", () => {
  it("requires a name on input fields but not on text blocks", () => {
    const def = onboardingForm();
    delete field(def, 0, 2).name;
    expect(codesAt(def, "sections[0].fields[2].name")).toEqual(["field.name.required"]);
    expect(codesAt(def, "sections[3].fields[0].name")).toEqual([]);
  });

  it("checks the pattern", () => {
    for (const bad of ["Phone", "1phone", "phone-no", "phøne", "_phone", "phone number"]) {
      const def = onboardingForm();
      field(def, 0, 2).name = bad;
      expect(codesAt(def, "sections[0].fields[2].name")).toEqual(["field.name.pattern"]);
    }
  });

  it("requires names unique across the whole form, also for named text blocks", () => {
    const def = onboardingForm();
    field(def, 2, 0).name = "full_name";
    field(def, 3, 0).name = "email";
    const issues = errors(def);
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["sections[2].fields[0].name", "field.name.duplicate"],
      ["sections[3].fields[0].name", "field.name.duplicate"],
    ]);
    expect(issues[0]?.where).toBe('Section "Beneficial owners" › field "full_name"');
    expect(issues[0]?.message).toContain('"full_name"');
  });

  it("rejects an unknown type", () => {
    const def = onboardingForm();
    (field(def, 0, 2) as { type: string }).type = "SIGNATURE";
    expect(codesAt(def, "sections[0].fields[2].type")).toEqual(["field.type.unknown"]);
  });
});

describe("mapTo", () => {
  it("allows the email mapping only on EMAIL fields", () => {
    const def = onboardingForm();
    field(def, 0, 1).mapTo = null;
    field(def, 0, 0).mapTo = "primarySigner.email";
    expect(codesAt(def, "sections[0].fields[0].mapTo")).toEqual(["field.mapTo.emailType"]);
  });

  it("allows signer details only from TEXT and EMAIL fields", () => {
    const def = onboardingForm();
    field(def, 0, 0).mapTo = null;
    field(def, 0, 2).mapTo = "primarySigner.name";
    expect(codesAt(def, "sections[0].fields[2].mapTo")).toEqual(["field.mapTo.type"]);
  });

  it("rejects unknown targets", () => {
    const def = onboardingForm();
    (field(def, 0, 0) as { mapTo: unknown }).mapTo = "primarySigner.phone";
    expect(codesAt(def, "sections[0].fields[0].mapTo")).toEqual(["field.mapTo.unknown"]);
  });

  it("warns when two fields map to the same target or the field repeats", () => {
    const def = onboardingForm();
    field(def, 2, 0).mapTo = "primarySigner.name";
    const issues = issuesAt(validateForm(def), "sections[2].fields[0].mapTo");
    expect(issues.map((i) => [i.code, i.severity])).toEqual([
      ["field.mapTo.duplicate", "warning"],
      ["field.mapTo.repeatable", "warning"],
    ]);
  });
});

describe("field conditions", () => {
  it("accepts a rule on an earlier field of the same section", () => {
    expect(codesAt(onboardingForm(), "sections[1].fields[2].condition.rules[0].field")).toEqual([]);
  });

  it("rejects a rule on itself, a later field, or a field further down", () => {
    const def = onboardingForm();
    field(def, 1, 1).condition = { rules: [{ field: "employees", operator: "EQUALS", value: 3 }] };
    expect(codesAt(def, "sections[1].fields[1].condition.rules[0].field")).toEqual(["condition.rule.field.notEarlier"]);
    field(def, 1, 1).condition = { rules: [{ field: "activity", operator: "EQUALS", value: "x" }] };
    expect(codesAt(def, "sections[1].fields[1].condition.rules[0].field")).toEqual(["condition.rule.field.notEarlier"]);
  });

  it("rejects rules on text blocks and files, and other operators", () => {
    const def = onboardingForm();
    def.sections[3]!.fields.push({
      type: "TEXT",
      name: "why",
      label: "Why",
      condition: {
        rules: [
          { field: "id_document", operator: "EQUALS", value: "x" },
          { field: "email", operator: "CONTAINS" as "EQUALS", value: "x" },
        ],
      },
    });
    expect(codesAt(def, "sections[3].fields[2].condition.rules[0].field")).toEqual(["condition.rule.field.type"]);
    expect(codesAt(def, "sections[3].fields[2].condition.rules[1].operator")).toEqual(["condition.rule.operator"]);
  });

  it("checks the value against the field it names", () => {
    const cases: Array<[string, unknown, boolean]> = [
      ["client_type", "company", true],
      ["client_type", "Company", false],
      ["client_type", "", false],
      ["client_type", null, false],
      ["employees", 5, true],
      ["employees", "5", true],
      ["employees", "five", false],
      ["employees", true, false],
      ["owner_since", "2024-02-29", true],
      ["owner_since", "2023-02-29", false],
      ["owner_since", "29/02/2024", false],
      ["email", "a@b.dk", true],
      ["email", false, false],
    ];
    for (const [name, value, ok] of cases) {
      const def = onboardingForm();
      def.sections[3]!.condition = { rules: [{ field: name, operator: "EQUALS", value: value as string }] };
      const codes = codesAt(def, "sections[3].condition.rules[0].value");
      expect(codes, `${name} = ${JSON.stringify(value)}`).toEqual(ok ? [] : ["condition.rule.value"]);
    }
  });

  it("warns when a rule reads a repeatable section from outside it", () => {
    const def = onboardingForm();
    def.sections[3]!.condition = { rules: [{ field: "owner_name", operator: "EQUALS", value: "x" }] };
    const issues = issuesAt(validateForm(def), "sections[3].condition.rules[0].field");
    expect(issues.map((i) => [i.code, i.severity])).toEqual([["condition.rule.field.repeatable", "warning"]]);
  });
});

describe("type settings", () => {
  it("checks TEXT lengths", () => {
    const def = onboardingForm();
    field(def, 1, 2).validations = { minLength: 20, maxLength: 10 };
    expect(codesAt(def, "sections[1].fields[2].validations.maxLength")).toEqual(["field.length.range"]);
    field(def, 1, 2).validations = { minLength: -1, maxLength: 0 };
    expect(codesAt(def, "sections[1].fields[2].validations.minLength")).toEqual(["field.minLength.invalid"]);
    expect(codesAt(def, "sections[1].fields[2].validations.maxLength")).toEqual(["field.maxLength.invalid"]);
    field(def, 1, 2).validations = { minLength: 5, maxLength: 5 };
    expect(errors(def)).toEqual([]);
  });

  it("checks NUMBER bounds", () => {
    const def = onboardingForm();
    field(def, 1, 1).validations = { min: 10, max: -10 };
    expect(codesAt(def, "sections[1].fields[1].validations.max")).toEqual(["field.number.range"]);
    field(def, 1, 1).validations = { min: Number.NaN, max: 1.5 };
    expect(codesAt(def, "sections[1].fields[1].validations.min")).toEqual(["field.min.invalid"]);
    field(def, 1, 1).validations = { min: -2.5, max: -2.5 };
    expect(errors(def)).toEqual([]);
  });

  it("checks CHOICE options and layout", () => {
    const def = onboardingForm();
    const choice = field(def, 0, 3);
    choice.options = [];
    expect(codesAt(def, "sections[0].fields[3].options")).toEqual(["field.options.empty"]);
    choice.options = [
      { label: "A", value: "a" },
      { label: "", value: "b" },
      { label: "A again", value: "a" },
      { label: "Blank", value: " " },
    ];
    (choice as { layout: string }).layout = "GRID";
    expect(codesAt(def, "sections[0].fields[3].layout")).toEqual(["field.layout.invalid"]);
    expect(codesAt(def, "sections[0].fields[3].options[1].label")).toEqual(["field.option.label.required"]);
    expect(codesAt(def, "sections[0].fields[3].options[2].value")).toEqual(["field.option.value.duplicate"]);
    expect(codesAt(def, "sections[0].fields[3].options[3].value")).toEqual(["field.option.value.required"]);
    // The condition on the company section now names a value that is no longer an option.
    expect(codesAt(def, "sections[1].condition.rules[0].value")).toEqual(["condition.rule.value"]);
  });
});

describe("HTML merge fields", () => {
  it("finds merge fields", () => {
    expect(mergeFieldsIn("Hi {{ name }}, {{a.b}} {{}} {x}")).toEqual(["name", "a.b", ""]);
  });

  it("accepts earlier required, always-shown fields", () => {
    expect(issuesUnder(validateForm(onboardingForm()), "sections[3].fields[0]")).toEqual([]);
  });

  it.each([
    ["{{phone}}", "field.content.mergeField.optional"],
    ["{{cvr}}", "field.content.mergeField.conditional"],
    ["{{id_document}}", "field.content.mergeField.notEarlier"],
    ["{{nobody}}", "field.content.mergeField.unknown"],
    ["{{primarySigner.name}}", "field.content.mergeField.unknown"],
  ])("rejects %s", (content, code) => {
    const def = onboardingForm();
    field(def, 3, 0).content = content;
    expect(codesAt(def, "sections[3].fields[0].content")).toEqual([code]);
  });

  it("rejects a field made conditional itself", () => {
    const def = onboardingForm();
    field(def, 0, 1).condition = { rules: [{ field: "full_name", operator: "EQUALS", value: "x" }] };
    expect(codesAt(def, "sections[3].fields[0].content")).toEqual(["field.content.mergeField.conditional"]);
  });

  it("warns on a field of a repeatable section", () => {
    const def = onboardingForm();
    field(def, 3, 0).content = "{{owner_name}}";
    const issues = issuesAt(validateForm(def), "sections[3].fields[0].content");
    expect(issues.map((i) => [i.code, i.severity])).toEqual([["field.content.mergeField.repeatable", "warning"]]);
  });
});

describe("robustness", () => {
  it("reports malformed parts instead of throwing", () => {
    // A definition from the webview's storage (the drafts' fallback) is whatever JSON was kept.
    const kept: { sections: [{ fields: unknown[] }, ...unknown[]] } = JSON.parse(JSON.stringify(onboardingForm()));
    kept.sections[0].fields.push(null, "x");
    kept.sections.push({ slug: "bad", title: "Bad", fields: "nope" });
    const issues = validateForm(JSON.parse(JSON.stringify(kept)));
    expect(issues.map((i) => i.code)).toEqual(["field.invalid", "field.invalid", "section.fields.invalid"]);
  });
});

describe("locateServerIssue", () => {
  const def = onboardingForm();
  it("uses a field hint that is a path, a field name or a slug", () => {
    expect(locateServerIssue(def, { message: "x", field: "sections[1].fields[0].name" }).path).toBe("sections[1].fields[0].name");
    expect(locateServerIssue(def, { message: "x", field: "cvr" }).path).toBe("sections[1].fields[0]");
    expect(locateServerIssue(def, { message: "x", field: "owners" }).path).toBe("sections[2]");
  });

  it("finds the field named in the message, preferring the longest name", () => {
    const d = onboardingForm();
    d.sections[0]!.fields.push({ type: "EMAIL", name: "email_confirm", label: "Confirm email" });
    const located = locateServerIssue(d, { message: 'Section "contact", field "email_confirm": mapTo primarySigner.email is taken' });
    expect(located.path).toBe("sections[0].fields[4]");
    expect(located.message).toContain("mapTo");
    expect(located.severity).toBe("error");
  });

  it("falls back to the section, then the form", () => {
    expect(locateServerIssue(def, { message: "section owners: multipleEntries.max must be >= 1" }).path).toBe("sections[2]");
    expect(locateServerIssue(def, { message: "Something else" }).path).toBe("");
  });
});
