// A realistic onboarding form used by the tests: four sections, one conditional, one repeatable.
import type { FormDefinition } from "../backend";

export function onboardingForm(): FormDefinition {
  return {
    name: "Client onboarding (KYC)",
    description: "Who you are and who owns the company.",
    language: "EN",
    caseFileTitleTemplate: "{{formName}} – {{primarySigner.name}}",
    additionalSignersConfig: { mode: "NONE", futureKey: [1, 2] },
    someServerKey: { kept: true },
    sections: [
      {
        slug: "contact",
        title: "Contact person",
        description: null,
        fields: [
          { type: "TEXT", name: "full_name", label: "Full name", required: true, mapTo: "primarySigner.name" },
          { type: "EMAIL", name: "email", label: "Email", required: true, mapTo: "primarySigner.email" },
          { type: "PHONE", name: "phone", label: "Phone", required: false, countryCodes: ["DK", "SE"] },
          {
            type: "CHOICE",
            name: "client_type",
            label: "You are",
            required: true,
            layout: "RADIO",
            options: [
              { label: "A private person", value: "person" },
              { label: "A company", value: "company" },
            ],
          },
        ],
      },
      {
        slug: "company",
        title: "Company",
        condition: { rules: [{ field: "client_type", operator: "EQUALS", value: "company" }] },
        fields: [
          { type: "BUSINESS_ID", name: "cvr", label: "CVR number", required: true },
          { type: "NUMBER", name: "employees", label: "Employees", validations: { min: 0, max: 100000 } },
          {
            type: "TEXT",
            name: "activity",
            label: "Main activity",
            multiline: true,
            validations: { minLength: 10, maxLength: 500 },
            condition: { rules: [{ field: "employees", operator: "EQUALS", value: 0 }] },
          },
        ],
      },
      {
        slug: "owners",
        title: "Beneficial owners",
        multipleEntries: { max: 5 },
        fields: [
          { type: "TEXT", name: "owner_name", label: "Name", required: true },
          { type: "NIN", name: "owner_nin", label: "CPR number", required: true },
          { type: "DATE", name: "owner_since", label: "Owner since" },
        ],
      },
      {
        slug: "confirm",
        title: "Confirmation",
        fields: [
          { type: "HTML", content: "<p>Thank you, {{full_name}}. We will write to {{email}}.</p>" },
          { type: "FILE", name: "id_document", label: "Passport or driving licence", required: true },
        ],
      },
    ],
  };
}
