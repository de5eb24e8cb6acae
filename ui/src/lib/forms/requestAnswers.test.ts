import { afterEach, describe, expect, it } from "vitest";
import type { AnswerRow, FormDefinition } from "../backend";
import { setLanguage } from "../i18n.svelte";
import { answerText } from "./requestAnswers";

const def: FormDefinition = {
  name: "KYC",
  sections: [
    {
      slug: "client",
      title: "Client",
      fields: [
        {
          name: "kind",
          type: "CHOICE",
          label: "Kind",
          options: [
            { value: "person", label: "Private person" },
            { value: "company", label: "Company" },
            { value: "other", label: "" },
          ],
        },
        {
          name: "topics",
          type: "CHOICE",
          layout: "CHECKBOX",
          label: "Topics",
          options: [
            { value: "tax", label: "Tax" },
            { value: "audit", label: "Audit" },
          ],
        },
        { name: "born", type: "DATE", label: "Born" },
        { name: "turnover", type: "NUMBER", label: "Turnover" },
      ],
    },
  ],
};

const row = (fieldName: string, valueText: string | null, fieldType: string | null = null): AnswerRow => ({
  sectionSlug: "client",
  instanceIndex: 0,
  fieldName,
  label: fieldName,
  fieldType,
  valueText,
});

afterEach(() => setLanguage("system"));

describe("answerText", () => {
  it("shows a choice by its option's label, the value only where there is no label", () => {
    expect(answerText(row("kind", "company"), def)).toBe("Company");
    expect(answerText(row("kind", "other"), def)).toBe("other");
    expect(answerText(row("kind", "gone"), def)).toBe("gone");
    expect(answerText(row("topics", "tax, audit"), def)).toBe("Tax, Audit");
  });

  it("writes dates and numbers the UI language's way, and leaves an empty answer empty", () => {
    setLanguage("da");
    expect(answerText(row("born", "1990-03-07"), def)).toBe("07.03.1990");
    expect(answerText(row("turnover", "1234567.5"), def)).toBe("1.234.567,5");
    expect(answerText(row("kind", ""), def)).toBeNull();
    expect(answerText(row("kind", null), def)).toBeNull();
  });

  it("keeps the text when the form is not at hand", () => {
    expect(answerText(row("kind", "company", "CHOICE"), null)).toBe("company");
  });
});
