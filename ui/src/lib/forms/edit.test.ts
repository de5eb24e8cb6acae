import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n.svelte";
import {
  addField,
  addSection,
  changeFieldType,
  cloneDefinition,
  emptyForm,
  formLanguageFor,
  moveField,
  moveItem,
  removeField,
  removeSection,
  renameField,
  restoreField,
  restoreSection,
  setFieldLabel,
  setSectionTitle,
} from "./edit";
import { onboardingForm } from "./fixtures.test-helpers";
import { validateForm } from "./validate";

describe("moveItem", () => {
  it("moves and clamps", () => {
    const a = ["a", "b", "c", "d"];
    expect(moveItem(a, 0, 2)).toBe(2);
    expect(a).toEqual(["b", "c", "a", "d"]);
    expect(moveItem(a, 3, -5)).toBe(0);
    expect(a).toEqual(["d", "b", "c", "a"]);
    expect(moveItem(a, 9, 0)).toBe(9);
    expect(a).toEqual(["d", "b", "c", "a"]);
  });
});

describe("a new form's language", () => {
  afterEach(() => setLanguage("system"));

  it("is the UI's, as a code the builder lists and Penneo accepts", () => {
    expect(emptyForm().language).toBe("EN");
    setLanguage("da");
    expect(emptyForm().language).toBe("DA");
    setLanguage("nb");
    expect(emptyForm().language).toBe("NO");
    setLanguage("sv");
    expect(emptyForm().language).toBe("SV");
    expect(emptyForm("FI").language).toBe("FI");
    expect(formLanguageFor("en")).toBe("EN");
  });
});

describe("a new choice's options", () => {
  afterEach(() => setLanguage("system"));

  const choiceLabels = (language: string) => {
    const def = emptyForm(language);
    addSection(def);
    return addField(def, 0, "CHOICE")?.options?.map((o) => `${o.label}=${o.value}`);
  };

  it("are worded in the form's language, whatever the UI's", () => {
    setLanguage("da");
    expect(choiceLabels("EN")).toEqual(["Yes=yes", "No=no"]);
    expect(choiceLabels("DA")).toEqual(["Ja=yes", "Nej=no"]);
    setLanguage("en");
    expect(choiceLabels("DA")).toEqual(["Ja=yes", "Nej=no"]);
    expect(choiceLabels("SV")).toEqual(["Ja=yes", "Nej=no"]);
    expect(choiceLabels("NO")).toEqual(["Ja=yes", "Nei=no"]);
    expect(choiceLabels("FI")).toEqual(["Yes=yes", "No=no"]);
  });

  it("follow the form's language when a field becomes a choice", () => {
    setLanguage("en");
    const def = emptyForm("DA");
    addSection(def);
    addField(def, 0, "TEXT");
    changeFieldType(def, { section: 0, field: 0 }, "CHOICE");
    expect(def.sections[0]!.fields[0]!.options?.map((o) => o.label)).toEqual(["Ja", "Nej"]);
  });
});

describe("building a form from scratch", () => {
  it("derives names and slugs as the user types, and the result validates", () => {
    const def = emptyForm();
    def.name = "Engagement";
    addSection(def);
    setSectionTitle(def, 0, "C");
    setSectionTitle(def, 0, "Contact");
    expect(def.sections[0]!.slug).toBe("contact");
    addField(def, 0, "TEXT");
    for (const label of ["F", "Fu", "Full name"]) setFieldLabel(def, { section: 0, field: 0 }, label);
    expect(def.sections[0]!.fields[0]!.name).toBe("full_name");
    addField(def, 0, "EMAIL", "Email");
    addField(def, 0, "EMAIL", "Email");
    expect(def.sections[0]!.fields.map((f) => f.name)).toEqual(["full_name", "email", "email_2"]);
    def.sections[0]!.fields[0]!.required = true;
    addSection(def, "Notes");
    addField(def, 1, "HTML");
    def.sections[1]!.fields[0]!.content = "Hello {{full_name}}";
    expect(validateForm(def).filter((i) => i.severity === "error")).toEqual([]);
  });

  it("stops following the label once the name was edited", () => {
    const def = emptyForm();
    addSection(def, "A");
    addField(def, 0, "TEXT", "Company");
    def.sections[0]!.fields[0]!.name = "legal_name";
    setFieldLabel(def, { section: 0, field: 0 }, "Company name");
    expect(def.sections[0]!.fields[0]!.name).toBe("legal_name");
  });

  it("stops following the title once the slug was edited", () => {
    const def = emptyForm();
    addSection(def, "Owners");
    def.sections[0]!.slug = "ubo";
    setSectionTitle(def, 0, "Beneficial owners");
    expect(def.sections[0]!.slug).toBe("ubo");
  });
});

describe("renameField", () => {
  it("updates conditions, merge fields and the title template", () => {
    const def = onboardingForm();
    def.caseFileTitleTemplate = "KYC {{ full_name }}";
    renameField(def, "client_type", "kind");
    renameField(def, "full_name", "name");
    expect(def.sections[0]!.fields[3]!.name).toBe("kind");
    expect(def.sections[1]!.condition?.rules[0]?.field).toBe("kind");
    expect(def.sections[3]!.fields[0]!.content).toBe("<p>Thank you, {{name}}. We will write to {{email}}.</p>");
    expect(def.caseFileTitleTemplate).toBe("KYC {{name}}");
    expect(validateForm(def)).toEqual([]);
  });

  it("happens when a followed label changes", () => {
    const def = onboardingForm();
    setFieldLabel(def, { section: 1, field: 1 }, "Staff");
    expect(def.sections[1]!.fields[1]!.name).toBe("staff");
    expect(def.sections[1]!.fields[2]!.condition?.rules[0]?.field).toBe("staff");
  });
});

describe("changeFieldType", () => {
  it("adds the new type's defaults and drops a mapping the type cannot have", () => {
    const def = onboardingForm();
    changeFieldType(def, { section: 0, field: 1 }, "TEXT");
    expect(def.sections[0]!.fields[1]!.mapTo).toBeNull();
    changeFieldType(def, { section: 0, field: 0 }, "CHOICE");
    const f = def.sections[0]!.fields[0]!;
    expect(f.type).toBe("CHOICE");
    expect(f.options).toHaveLength(2);
    expect(f.mapTo).toBeNull();
    expect(f.label).toBe("Full name");
  });
});

describe("delete with undo, and moves", () => {
  it("restores a removed section and field where they were", () => {
    const def = onboardingForm();
    const before = cloneDefinition(def);
    const s = removeSection(def, 1)!;
    const f = removeField(def, { section: 0, field: 2 })!;
    expect(def.sections).toHaveLength(3);
    restoreField(def, f);
    restoreSection(def, s);
    expect(def).toEqual(before);
  });

  it("moves a field to another section", () => {
    const def = onboardingForm();
    const to = moveField(def, { section: 0, field: 2 }, { section: 3, field: 1 });
    expect(to).toEqual({ section: 3, field: 1 });
    expect(def.sections[3]!.fields.map((x) => x.name)).toEqual([undefined, "phone", "id_document"]);
    expect(def.sections[0]!.fields.map((x) => x.name)).toEqual(["full_name", "email", "client_type"]);
  });

  it("keeps unknown keys through edits", () => {
    const def = onboardingForm();
    setFieldLabel(def, { section: 0, field: 0 }, "Name");
    changeFieldType(def, { section: 0, field: 0 }, "EMAIL");
    expect(def.someServerKey).toEqual({ kept: true });
    expect(def.additionalSignersConfig).toEqual({ mode: "NONE", futureKey: [1, 2] });
  });
});
