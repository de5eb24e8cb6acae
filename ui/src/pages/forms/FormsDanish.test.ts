// @vitest-environment jsdom
// The forms pages in Danish: the version comparison counts what it marks and names settings and
// values the way staff read them (no JSON keys), in English and in Danish.
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { diffForms } from "../../lib/forms/diff";
import { copyName } from "../../lib/forms/duplicate";
import { fieldDefaults } from "../../lib/forms/edit";
import { validateForm } from "../../lib/forms/validate";
import { onboardingForm } from "../../lib/forms/fixtures.test-helpers";
import { setLanguage } from "../../lib/i18n.svelte";
import VersionDiff from "./VersionDiff.svelte";

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  setLanguage("system");
});

function show(before = onboardingForm(), after = onboardingForm()): HTMLElement {
  const el = document.createElement("div");
  document.body.appendChild(el);
  app = mount(VersionDiff, { target: el, props: { diff: diffForms(before, after), beforeLabel: "Version 1", afterLabel: "Version 2" } });
  flushSync();
  return el;
}

function changedForm() {
  const after = onboardingForm();
  // A field removed from a section: the section is marked changed, and the count says so.
  after.sections[0]!.fields.splice(2, 1);
  // A choice whose layout and options changed, and a required flag.
  const choice = after.sections[0]!.fields[2]!;
  choice.layout = "SELECT";
  choice.required = false;
  choice.options = [...(choice.options ?? []), { label: "A foundation", value: "foundation" }];
  return after;
}

describe("the version comparison", () => {
  it("counts the section it marks changed and names settings and values, not JSON keys", () => {
    const el = show(onboardingForm(), changedForm());
    expect(el.querySelector("[data-testid=version-diff-summary]")?.textContent?.trim()).toBe(
      "Sections: 1 changed. Fields: 1 removed, 1 changed.",
    );
    const sections = el.querySelectorAll("[data-testid=version-diff-section]");
    expect(sections).toHaveLength(1);
    expect(sections[0]!.textContent).toContain("Changed");
    expect(sections[0]!.textContent).toContain("Phone");
    const rows = Array.from(el.querySelectorAll(".changes tbody tr")).map((r) => Array.from(r.children).map((c) => c.textContent?.trim()));
    expect(rows).toEqual([
      ["Required", "Yes", "No"],
      ["Shown as", "Radio buttons", "Drop-down list"],
      ["Options", "A private person, A company", "A private person, A company, A foundation"],
    ]);
    expect(el.textContent).not.toContain("layout");
    expect(el.textContent).not.toContain("client_type");
  });

  it("speaks Danish", () => {
    setLanguage("da");
    const el = show(onboardingForm(), changedForm());
    expect(el.querySelector("[data-testid=version-diff-summary]")?.textContent?.trim()).toBe(
      "Sektioner: 1 ændret. Felter: 1 fjernet, 1 ændret.",
    );
    const rows = Array.from(el.querySelectorAll(".changes tbody tr")).map((r) => r.children[0]?.textContent?.trim());
    expect(rows).toEqual(["Obligatorisk", "Vises som", "Svarmuligheder"]);
    expect(el.textContent).toContain("Ja");
    expect(el.textContent).toContain("Radioknapper");
  });

  it("says so when nothing differs", () => {
    setLanguage("da");
    const el = show();
    expect(el.querySelector("[data-testid=version-diff-summary]")?.textContent?.trim()).toBe(
      "Ingen forskelle mellem Version 1 og Version 2.",
    );
  });
});

describe("the forms' own words in Danish", () => {
  it("names a copy, a new choice's options and the builder's checks in Danish", () => {
    setLanguage("da");
    expect(copyName("KYC", ["Kopi af KYC"])).toBe("Kopi af KYC (2)");
    expect(fieldDefaults("CHOICE", "DA").options?.map((o) => [o.label, o.value])).toEqual([
      ["Ja", "yes"],
      ["Nej", "no"],
    ]);
    const issues = validateForm({ name: "", sections: [{ slug: "a", title: "", fields: [] }] });
    expect(issues.map((i) => i.message)).toEqual([
      "Formularen skal have et navn.",
      "Sektionen har ingen titel; underskriverne ser ingen.",
      "Sektionen har endnu ingen felter.",
    ]);
    expect(issues[0]?.where).toBe("Formularens indstillinger");
  });
});
