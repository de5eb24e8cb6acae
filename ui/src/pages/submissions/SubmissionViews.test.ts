// @vitest-environment jsdom
// The answers view and the compare view with answers shaped like the contract's example.
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FORM, answers } from "../../lib/submissions/fixtures.test-helpers";
import AnswersView from "./AnswersView.svelte";
import CompareView from "./CompareView.svelte";

let app: ReturnType<typeof mount> | null = null;
let root: HTMLElement;

beforeEach(() => {
  root = document.createElement("div");
  document.body.appendChild(root);
});

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
});

const all = (sel: string, within: ParentNode = root) => Array.from(within.querySelectorAll<HTMLElement>(sel));

describe("the answers view", () => {
  it("lays answers out like the form with typed values", async () => {
    const a = answers("Ida", ["Acme A/S", "Nordvind ApS"], { kind: "sole" });
    a.sections[0]!.answers!.push({ name: "cpr", label: "CPR", type: "NIN", value: "0101901234" });
    app = mount(AnswersView, { target: root, props: { answers: a, form: FORM, options: { locale: "en-GB" } } });
    await tick();
    flushSync();
    expect(root.querySelector("[data-testid=answers-version]")?.textContent).toBe("Answered on version 2");
    expect(all("[data-testid=answers-section]").map((s) => s.dataset.section)).toEqual(["contact", "references"]);
    const contact = all("[data-testid=answers-section]")[0]!;
    const value = (name: string) => contact.querySelector(`dd[data-field=${name}]`)?.textContent?.trim();
    expect(value("supplier_kind")).toBe("Sole trader");
    expect(value("founded")).toBe("17 May 2001");
    expect(value("cpr")).toBe("010190-1234");
    expect(all("[data-testid=answer-value]", contact.querySelector("dd[data-field=contact_phone]")!)).toHaveLength(2);
    const refs = all("[data-testid=answers-section]")[1]!;
    expect(all("[data-testid=answers-instance]", refs).map((i) => i.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Customer references 1 Customer Acme A/S",
      "Customer references 2 Customer Nordvind ApS",
    ]);
  });
});

describe("a conditional field without an answer", () => {
  it("says it was not asked instead of not answered", async () => {
    const form = structuredClone(FORM);
    form.sections[0]!.fields.push({
      name: "kind_details",
      label: "Details",
      type: "TEXT",
      condition: { rules: [{ field: "supplier_kind", operator: "EQUALS", value: "company" }] },
    });
    app = mount(AnswersView, { target: root, props: { answers: answers("Ida", [], { kind: "sole" }), form } });
    await tick();
    flushSync();
    expect(root.querySelector("dd[data-field=kind_details]")?.textContent?.trim()).toBe("Not asked (depends on an earlier answer)");
    expect(root.querySelector("dd[data-field=contact_name] [data-testid=answer-not-asked]")).toBeNull();
  });
});

describe("the compare view", () => {
  it("marks differences and can hide what is the same", async () => {
    const left = answers("Ida", ["Acme A/S", "Nordvind ApS"]);
    const right = answers("Ida", ["Acme A/S"], { kind: "sole" });
    app = mount(CompareView, { target: root, props: { left, right, form: FORM, leftTitle: "Ida (March)", rightTitle: "Ida (May)" } });
    await tick();
    flushSync();
    expect(root.querySelector("[data-testid=compare-counts]")?.textContent).toBe("1 different, 1 on one side only, 4 the same");
    const row = (key: string) => root.querySelector<HTMLElement>(`[data-testid=compare-row][data-key="${key}"]`);
    expect(row("supplier_kind")?.dataset.status).toBe("changed");
    expect(row("supplier_kind")?.textContent).toContain("Company");
    expect(row("supplier_kind")?.textContent).toContain("Sole trader");
    expect(row("references[2].reference_customer")?.textContent).toContain("Only in Ida (March)");
    const box = root.querySelector<HTMLInputElement>("[data-testid=compare-only-differences]")!;
    box.click();
    flushSync();
    expect(all("[data-testid=compare-row]").map((r) => r.dataset.key)).toEqual(["supplier_kind", "references[2].reference_customer"]);
  });
});
