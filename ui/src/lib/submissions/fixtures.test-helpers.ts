// Answers and a form shaped like penneo-api.md §9.1 / §9.4, for the submissions tests.
import type { FormDefinition } from "../backend";
import type { AnswersObject } from "./types";

export const FORM: FormDefinition = {
  name: "Supplier Registration",
  sections: [
    {
      slug: "contact",
      title: "Contact person",
      fields: [
        { name: "contact_name", label: "Name", type: "TEXT" },
        { name: "contact_phone", label: "Phone", type: "PHONE", multipleEntries: { max: 2 } },
        {
          name: "supplier_kind",
          label: "Supplier kind",
          type: "CHOICE",
          options: [
            { label: "Sole trader", value: "sole" },
            { label: "Company", value: "company" },
          ],
        },
        { name: "founded", label: "Founded", type: "DATE" },
      ],
    },
    {
      slug: "references",
      title: "Customer references",
      multipleEntries: { max: 3 },
      fields: [{ name: "reference_customer", label: "Customer", type: "TEXT" }],
    },
    { slug: "summary", title: "Summary", fields: [{ type: "HTML", content: "<p>Thanks</p>" }] },
  ],
};

export function answers(name: string, refs: string[], extra: Partial<Record<string, unknown>> = {}): AnswersObject {
  return {
    submissionId: `sub-${name}`,
    formId: "f1",
    version: 2,
    respondents: [{ name, email: `${name.toLowerCase()}@example.org` }],
    sections: [
      {
        title: "Contact person",
        multipleEntries: false,
        answers: [
          { name: "contact_name", label: "Name", type: "TEXT", value: name },
          { name: "contact_phone", label: "Phone", type: "PHONE", values: (extra.phones as string[]) ?? ["+4512345678", "+4587654321"] },
          { name: "supplier_kind", label: "Supplier kind", type: "CHOICE", value: extra.kind ?? "company" },
          { name: "founded", label: "Founded", type: "DATE", value: extra.founded ?? "2001-05-17" },
        ],
      },
      {
        title: "Customer references",
        multipleEntries: true,
        instances: refs.map((r) => ({ answers: [{ name: "reference_customer", label: "Customer", type: "TEXT", value: r }] })),
      },
    ],
  };
}
