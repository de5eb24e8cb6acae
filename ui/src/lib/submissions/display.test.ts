import { describe, expect, it } from "vitest";
import { displayAnswer, displayOne, formatBusinessId, formatNin, kindOf, layoutAnswers } from "./display";
import { FORM, answers } from "./fixtures.test-helpers";

describe("typed values", () => {
  it("knows the kind from the answer, the typed-value names or the form", () => {
    expect(kindOf({ type: "Numeric" })).toBe("number");
    expect(kindOf({ type: "BusinessId" })).toBe("businessId");
    expect(kindOf({ type: "BUSINESS_ID" })).toBe("businessId");
    expect(kindOf({ type: null }, { type: "DATE" })).toBe("date");
    expect(kindOf(null)).toBe("text");
  });

  it("formats dates, numbers and choices", () => {
    expect(displayOne("2001-05-17", "date", null, { locale: "en-GB" }).text).toBe("17 May 2001");
    expect(displayOne("not a date", "date").kind).toBe("text");
    expect(displayOne(1234567.5, "number", null, { locale: "en-US" }).text).toBe("1,234,567.5");
    expect(displayOne("12,5", "number", null, { locale: "en-US" }).text).toBe("12.5");
    const field = FORM.sections[0]!.fields[2]!;
    expect(displayOne("sole", "choice", field).text).toBe("Sole trader");
    expect(displayOne("other", "choice", field).text).toBe("other");
    expect(displayOne("", "text").kind).toBe("empty");
  });

  it("formats national and business ids", () => {
    expect(formatNin("0101901234")).toBe("010190-1234");
    expect(formatNin("010190-1234", true)).toBe("••••••-1234");
    expect(formatNin("01019012345")).toBe("010190 12345");
    expect(formatNin("199001011234")).toBe("19900101-1234");
    expect(formatNin("131052-308T")).toBe("131052-308T");
    expect(formatBusinessId("12345678")).toBe("12345678");
    expect(formatBusinessId("dk 12345678")).toBe("DK12345678");
    expect(formatBusinessId("923609016")).toBe("923 609 016");
    expect(formatBusinessId("5566778899")).toBe("556677-8899");
    expect(formatBusinessId("1234567-8")).toBe("1234567-8");
  });

  it("shows files as items and several values separately", () => {
    const [f] = displayAnswer({ name: "f", type: "FILE", value: { filename: "passport.pdf", size: 2048, downloadUrl: "https://x/f" } });
    expect(f).toMatchObject({ kind: "file", text: "passport.pdf", file: { filename: "passport.pdf", size: 2048, url: "https://x/f" } });
    expect(displayAnswer({ name: "p", type: "PHONE", values: ["+45 1", "", "+45 2"] }).map((d) => d.text)).toEqual(["+45 1", "+45 2"]);
  });
});

describe("answers laid out like the form", () => {
  it("follows the form's sections and fields, numbers instances and keeps unknown answers", () => {
    const a = answers("Ida", ["A", "B"]);
    a.sections[0]!.answers = a.sections[0]!.answers!.filter((x) => x.name !== "founded");
    a.sections.push({ title: "Old section", answers: [{ name: "legacy", value: "v" }] });
    const layout = layoutAnswers(a, FORM);
    expect(layout.map((s) => [s.key, s.repeated, s.instances.length, s.extra])).toEqual([
      ["contact", false, 1, false],
      ["references", true, 2, false],
      ["old_section", false, 1, true],
    ]);
    expect(layout[0]!.instances[0]!.map((f) => [f.name, f.entry ? "answered" : "empty"])).toEqual([
      ["contact_name", "answered"],
      ["contact_phone", "answered"],
      ["supplier_kind", "answered"],
      ["founded", "empty"],
    ]);
    expect(layout[1]!.instances[1]![0]!.entry?.value).toBe("B");
  });

  it("shows a repeated section nobody filled in as having no instances", () => {
    const layout = layoutAnswers(answers("Ida", []), FORM);
    expect(layout[1]).toMatchObject({ key: "references", instances: [] });
  });

  it("leaves out a section of text blocks only, even when the answers list it empty", () => {
    const a = answers("Ida", ["Acme A/S"]);
    a.sections.push({ slug: "summary", title: "Summary", answers: [] });
    expect(layoutAnswers(a, FORM).map((s) => s.key)).toEqual(["contact", "references"]);
  });
});
