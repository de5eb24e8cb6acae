import { describe, expect, it } from "vitest";
import { parseCsv, toCsv, toCsvRecords, guardFormula } from "./csv";
import { buildExportTable, flattenAnswers, toJsonExport } from "./flatten";
import { FORM, answers, submission } from "./fixtures.test-helpers";

describe("flattening answers", () => {
  it("gives one column per field and indexes repeated sections from 1", () => {
    const flat = flattenAnswers(answers("Ida", ["Acme A/S", "Nordvind ApS"]), { form: FORM });
    expect([...flat.entries()]).toEqual([
      ["contact_name", "Ida"],
      ["contact_phone", "+4512345678, +4587654321"],
      ["supplier_kind", "company"],
      ["founded", "2001-05-17"],
      ["references[1].reference_customer", "Acme A/S"],
      ["references[2].reference_customer", "Nordvind ApS"],
    ]);
  });

  it("names sections by title when neither answers nor form give a slug", () => {
    const flat = flattenAnswers(answers("Ida", ["A"]), { joinWith: " | " });
    expect(flat.get("customer_references[1].reference_customer")).toBe("A");
    expect(flat.get("contact_phone")).toBe("+4512345678 | +4587654321");
  });

  it("unwraps typed values and files", () => {
    const flat = flattenAnswers({
      respondents: [],
      sections: [{ slug: "s", answers: [{ name: "n", value: { type: "Numeric", value: 42 } }, { name: "f", values: [{ filename: "id.pdf", size: 3 }] }, { name: "e", value: null }] }],
    });
    expect(Object.fromEntries(flat)).toEqual({ n: "42", f: "id.pdf", e: "" });
  });

  it("builds one row per submission with columns in form order, widest instance count", () => {
    const subs = [
      submission("s1", "2026-03-01T10:00:00Z", answers("Ida", ["A"]), { reviewed: true }),
      submission("s2", "2026-03-02T10:00:00Z", answers("Bo", ["B", "C", "D"]), { casefileId: 7, casefileStatus: 5 }),
    ];
    const t = buildExportTable(subs, FORM, { meta: ["submissionId", "reviewed", "casefileId"] });
    expect(t.columns.map((c) => c.header)).toEqual([
      "submission_id",
      "reviewed",
      "casefile_id",
      "contact_name",
      "contact_phone",
      "supplier_kind",
      "founded",
      "references[1].reference_customer",
      "references[2].reference_customer",
      "references[3].reference_customer",
    ]);
    expect(t.rows).toEqual([
      ["s1", "true", "", "Ida", "+4512345678, +4587654321", "company", "2001-05-17", "A", "", ""],
      ["s2", "false", "7", "Bo", "+4512345678, +4587654321", "company", "2001-05-17", "B", "C", "D"],
    ]);
  });

  it("keeps columns only older versions had, after the form's", () => {
    const a = answers("Ida", []);
    a.sections[0]!.answers!.push({ name: "old_field", value: "x" });
    const t = buildExportTable([submission("s1", "2026-01-01T00:00:00Z", a)], FORM, { meta: [] });
    expect(t.columns.map((c) => c.header)).toEqual(["contact_name", "contact_phone", "supplier_kind", "founded", "references[1].reference_customer", "old_field"]);
  });

  it("exports JSON with repeated sections as arrays", () => {
    const json = JSON.parse(toJsonExport([submission("s1", "2026-01-01T00:00:00Z", answers("Ida", ["A", "B"]))], FORM)) as Record<string, unknown>[];
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({
      submissionId: "s1",
      reviewed: false,
      answers: { contact_name: "Ida", contact_phone: ["+4512345678", "+4587654321"], references: [{ reference_customer: "A" }, { reference_customer: "B" }] },
    });
  });
});

describe("CSV", () => {
  it("quotes per RFC 4180 and ends records with CRLF", () => {
    const text = toCsvRecords([
      ["a", "b,c", 'say "hi"'],
      ["line\nbreak", "", "plain"],
    ]);
    expect(text).toBe('a,"b,c","say ""hi"""\r\n"line\nbreak",,plain\r\n');
    expect(parseCsv(text)).toEqual([
      ["a", "b,c", 'say "hi"'],
      ["line\nbreak", "", "plain"],
    ]);
  });

  it("guards against formula injection but leaves plain numbers", () => {
    expect(guardFormula("=HYPERLINK(\"x\")")).toBe("'=HYPERLINK(\"x\")");
    expect(guardFormula("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(guardFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(guardFormula("-2+3")).toBe("'-2+3");
    expect(guardFormula("\tx")).toBe("'\tx");
    expect(guardFormula("-12.5")).toBe("-12.5");
    expect(guardFormula("+4512345678")).toBe("+4512345678");
    expect(guardFormula("a=b")).toBe("a=b");
    expect(toCsvRecords([["=1+1"]], { guardFormulas: false })).toBe("=1+1\r\n");
  });

  it("writes a BOM on request and round-trips a table", () => {
    const subs = [submission("s1", "2026-03-01T10:00:00Z", answers("Ærø, \"Ida\"", ["=evil()"]))];
    const t = buildExportTable(subs, FORM);
    const text = toCsv(t, { bom: true });
    expect(text.startsWith("\uFEFFsubmission_id,")).toBe(true);
    const parsed = parseCsv(text);
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toEqual(t.columns.map((c) => c.header));
    const row = parsed[1]!;
    expect(row[t.columns.findIndex((c) => c.key === "contact_name")]).toBe('Ærø, "Ida"');
    expect(row[t.columns.findIndex((c) => c.key === "references[1].reference_customer")]).toBe("'=evil()");
    expect(toCsv(t).startsWith("submission_id")).toBe(true);
  });
});
