// The generated model types against real JSON: the same examples that
// crates/penneo/src/models/mod.rs (`round_trip`) sends through Rust's serde and gets back
// unchanged type-check here as the TypeScript the backend hands to the UI, unknown keys included.
import { describe, expect, it } from "vitest";
import type { Answers, CaseFileDraft, Form, PrefilledRequest } from "../backend";

const form: Form = {
  id: "f1",
  formId: "f1",
  name: "KYC",
  language: "EN",
  status: "ACTIVE",
  version: 2,
  publicUrl: "https://forms.example/f1",
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-02T00:00:00Z",
  sections: [
    {
      slug: "person",
      title: "About you",
      multipleEntries: { max: 3 },
      fields: [
        {
          type: "TEXT",
          name: "full_name",
          label: "Name",
          required: true,
          validations: { minLength: 2, maxLength: 80 },
          mapTo: "primarySigner.name",
        },
        { type: "NUMBER", name: "share", validations: { min: 0, max: 100.5 } },
        {
          type: "CHOICE",
          name: "kind",
          layout: "RADIO",
          options: [{ label: "A", value: "a" }],
          condition: { rules: [{ field: "full_name", operator: "EQUALS", value: "Ada" }] },
        },
        { type: "SIGNATURE", name: "future_type", futureSetting: { kept: true } },
      ],
    },
  ],
  activeVersion: 2,
};

const draft: CaseFileDraft = {
  caseFile: {
    title: "Engagement",
    language: "da",
    visibilityMode: 0,
    signers: [
      { name: "Ida", email: "ida@example.org", signOrder: 0, secureSigningMethods: ["mitid.dk"], storeAsContact: false, localId: "s1" },
    ],
    documents: [
      { title: "Letter", name: "letter.pdf", roles: ["Client"], source: { path: "/x/letter.pdf", fileName: "letter.pdf", size: 3 } },
    ],
    futureOption: 1,
  },
};

const request: PrefilledRequest = { answers: { person: [{ full_name: { value: "Ida", editable: false } }] } };

const answers: Answers = {
  submissionId: "s1",
  version: 1,
  respondents: [{ name: "Ida", email: null }],
  sections: [{ slug: "owners", multipleEntries: true, instances: [{ answers: [{ name: "owner", type: "TEXT", value: "Bo" }] }] }],
};

describe("the generated model types", () => {
  it("take what Rust writes, keys this app does not know included", () => {
    expect(form.sections?.[0]?.fields.map((f) => f.type)).toEqual(["TEXT", "NUMBER", "CHOICE", "SIGNATURE"]);
    expect(form.sections?.[0]?.fields[3]?.futureSetting).toEqual({ kept: true });
    expect(draft.caseFile.signers[0]?.localId).toBe("s1");
    expect(request.answers.person?.[0]?.full_name?.editable).toBe(false);
    expect(answers.sections[0]?.instances?.[0]?.answers[0]?.value).toBe("Bo");
  });
});
