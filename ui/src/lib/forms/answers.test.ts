import { describe, expect, it } from "vitest";
import { canPrefill, prefillRequestBody, prefillValues, validateAnswers, validatePrefill, valueProblem } from "./answers";
import { onboardingForm } from "./fixtures.test-helpers";
import type { Field as FormField } from "../backend";

describe("valueProblem", () => {
  const text: FormField = { type: "TEXT", name: "t", validations: { minLength: 2, maxLength: 4 } };
  const num: FormField = { type: "NUMBER", name: "n", validations: { min: 0, max: 10 } };
  it.each([
    [text, "a", "at least 2"],
    [text, "abcde", "at most 4"],
    [text, "abc", null],
    [num, "x", "Enter a number"],
    [num, "-1", "0 or more"],
    [num, "10,5", "10 or less"],
    [num, "2,5", null],
    [num, 7, null],
    [{ type: "EMAIL", name: "e" } as FormField, "a@b", "email address"],
    [{ type: "EMAIL", name: "e" } as FormField, "a@b.dk", null],
    [{ type: "PHONE", name: "p" } as FormField, "+45 12 34 56 78", null],
    [{ type: "PHONE", name: "p" } as FormField, "call me", "phone number"],
    [{ type: "DATE", name: "d" } as FormField, "2026-13-01", "YYYY-MM-DD"],
    [{ type: "DATE", name: "d" } as FormField, "2026-11-25", null],
  ] as Array<[FormField, string | number, string | null]>)("%# %j", (field, value, expected) => {
    const p = valueProblem(field, value);
    if (expected === null) expect(p).toBeNull();
    else expect(p).toContain(expected);
  });
});

describe("validateAnswers", () => {
  const def = onboardingForm();

  it("asks for required visible fields only", () => {
    const issues = validateAnswers(def, { contact: [{ client_type: "person" }] });
    expect(issues.map((i) => i.path)).toEqual([
      "contact[0].full_name",
      "contact[0].email",
      "owners[0].owner_name",
      "owners[0].owner_nin",
      "confirm[0].id_document",
    ]);
    // As a company, the company section's required CVR is asked for too.
    const company = validateAnswers(def, { contact: [{ client_type: "company" }] }).map((i) => i.path);
    expect(company).toContain("company[0].cvr");
  });

  it("checks every instance of a repeatable section and its size", () => {
    const answers = {
      contact: [{ full_name: "Ada", email: "ada@example.com", client_type: "person" }],
      owners: Array.from({ length: 6 }, (_, i) => ({ owner_name: `O${i}`, owner_nin: "0101011234", owner_since: i === 2 ? "soon" : "" })),
      confirm: [{ id_document: "passport.pdf" }],
    };
    const issues = validateAnswers(def, answers);
    expect(issues).toEqual([
      { path: "owners", message: "This section takes at most 5 entries." },
      { path: "owners[2].owner_since", message: "Enter a date as YYYY-MM-DD." },
    ]);
  });

  it("checks choices, including several values for checkboxes", () => {
    const d = onboardingForm();
    const choice = d.sections[0]!.fields[3]!;
    const base = { full_name: "A", email: "a@b.dk" };
    expect(validateAnswers(d, { contact: [{ ...base, client_type: "robot" }] }).map((i) => i.message)).toContain(
      "Choose one of the options.",
    );
    expect(validateAnswers(d, { contact: [{ ...base, client_type: ["person", "company"] }] }).map((i) => i.message)).toContain(
      "This field takes one value.",
    );
    choice.layout = "CHECKBOX";
    const ok = validateAnswers(d, { contact: [{ ...base, client_type: ["person", "company"] }] });
    expect(ok.filter((i) => i.path === "contact[0].client_type")).toEqual([]);
  });
});

describe("prefillRequestBody", () => {
  it("builds the v2 body: slug → instances → name → {value, editable}", () => {
    const def = onboardingForm();
    const body = prefillRequestBody(def, {
      contact: [
        {
          full_name: { value: "Ada Lovelace", locked: true },
          email: { value: "ada@example.com", locked: false },
          phone: { value: "", locked: true },
          not_a_field: { value: "x", locked: false },
        },
      ],
      owners: [{ owner_name: { value: "Ada", locked: false } }, { owner_name: { value: "Bob", locked: true } }, {}],
      confirm: [{}],
      unknown_section: [{ x: { value: "y", locked: false } }],
    });
    expect(body).toEqual({
      answers: {
        contact: [
          {
            full_name: { value: "Ada Lovelace", editable: false },
            email: { value: "ada@example.com", editable: true },
          },
        ],
        owners: [{ owner_name: { value: "Ada", editable: true } }, { owner_name: { value: "Bob", editable: false } }],
      },
    });
  });

  it("gives plain values for validation", () => {
    expect(prefillValues({ contact: [{ email: { value: "a@b.dk", locked: true } }] })).toEqual({ contact: [{ email: "a@b.dk" }] });
  });
});

describe("validatePrefill", () => {
  it("checks the values given like the builder, requires nothing, and refuses to lock an empty field", () => {
    const def = onboardingForm();
    expect(validatePrefill(def, {})).toEqual([]);
    const issues = validatePrefill(def, {
      contact: [{ email: { value: "ada@", locked: false }, full_name: { value: "", locked: true } }],
      owners: [{ owner_since: { value: "2026-02-30", locked: false } }, { owner_name: { value: "Bob", locked: true } }],
    });
    expect(issues).toEqual([
      { path: "contact[0].email", message: "Enter an email address, like name@example.com." },
      { path: "owners[0].owner_since", message: "Enter a date as YYYY-MM-DD." },
      { path: "contact[0].full_name", message: "Enter a value to lock, or unlock the field." },
    ]);
  });

  it("reports too many entries for a repeatable section", () => {
    const def = onboardingForm();
    const six = Array.from({ length: 6 }, (_, i) => ({ owner_name: { value: `Owner ${i}`, locked: false } }));
    expect(validatePrefill(def, { owners: six })).toEqual([{ path: "owners", message: "This section takes at most 5 entries." }]);
  });

  it("the request body from a valid prefill carries the locks as editable flags", () => {
    const def = onboardingForm();
    const prefill = {
      contact: [{ full_name: { value: "Ada", locked: true }, client_type: { value: "company", locked: false } }],
      company: [{ cvr: { value: "12345678", locked: true } }],
    };
    expect(validatePrefill(def, prefill)).toEqual([]);
    expect(prefillRequestBody(def, prefill)).toEqual({
      answers: {
        contact: [{ full_name: { value: "Ada", editable: false }, client_type: { value: "company", editable: true } }],
        company: [{ cvr: { value: "12345678", editable: false } }],
      },
    });
  });

  it("canPrefill: not files (the client uploads them) nor text blocks", () => {
    expect(canPrefill({ type: "FILE", name: "f" })).toBe(false);
    expect(canPrefill({ type: "HTML", content: "x" })).toBe(false);
    expect(canPrefill({ type: "NIN", name: "n" })).toBe(true);
  });
});
