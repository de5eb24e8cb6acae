import { describe, expect, it } from "vitest";
import { onboardingForm } from "./fixtures.test-helpers";
import {
  FIELD_NAME_PATTERN,
  checkFieldName,
  deriveFieldName,
  deriveSlug,
  makeUnique,
  nameFollowsLabel,
  suggestFieldName,
  suggestSlug,
} from "./names";

describe("deriveFieldName", () => {
  it.each([
    ["Full name", "full_name"],
    ["  Company name (legal)  ", "company_name_legal"],
    ["E-mail", "e_mail"],
    ["Ægtefælles CPR-nummer", "aegtefaelles_cpr_nummer"],
    ["Størrelse på årsomsætning", "stoerrelse_paa_aarsomsaetning"],
    ["Straße", "strasse"],
    ["Café crème", "cafe_creme"],
    ["2nd address line", "field_2nd_address_line"],
    ["123", "field_123"],
    ["", "field"],
    ["?!", "field"],
    ["你好", "field"],
    ["VAT / Tax ID", "vat_tax_id"],
  ])("%j → %s", (label, name) => {
    expect(deriveFieldName(label)).toBe(name);
    expect(deriveFieldName(label)).toMatch(FIELD_NAME_PATTERN);
  });

  it("keeps long labels short, cutting at a word", () => {
    const name = deriveFieldName("Please describe in your own words the main activity of the company and its subsidiaries");
    expect(name.length).toBeLessThanOrEqual(48);
    expect(name).toMatch(FIELD_NAME_PATTERN);
    expect(name.endsWith("_")).toBe(false);
    expect(name.startsWith("please_describe_in_your_own_words")).toBe(true);
  });

  it("cuts a single very long word", () => {
    const name = deriveFieldName("x".repeat(100));
    expect(name).toBe("x".repeat(48));
  });
});

describe("slugs", () => {
  it("derives kebab-case slugs", () => {
    expect(deriveSlug("Beneficial owners")).toBe("beneficial-owners");
    expect(deriveSlug("")).toBe("section");
    expect(deriveSlug("1. Kontakt")).toBe("section-1-kontakt");
  });

  it("keeps slugs unique in the form", () => {
    const def = onboardingForm();
    expect(suggestSlug("Company", def)).toBe("company-2");
    // The section itself does not count against its own slug.
    expect(suggestSlug("Company", def, 1)).toBe("company");
  });
});

describe("uniqueness", () => {
  it("adds the first free counter", () => {
    expect(makeUnique("name", [])).toBe("name");
    expect(makeUnique("name", ["name", "name_2", "name_4"])).toBe("name_3");
  });

  it("suggests a name not used anywhere in the form", () => {
    const def = onboardingForm();
    expect(suggestFieldName("Email", def)).toBe("email_2");
    expect(suggestFieldName("Email", def, { section: 0, field: 1 })).toBe("email");
    expect(suggestFieldName("Owner name", def)).toBe("owner_name_2");
    expect(suggestFieldName("Brand new", def)).toBe("brand_new");
  });
});

describe("nameFollowsLabel", () => {
  it("follows while the name is empty or still the derived one, and stops once edited", () => {
    const def = onboardingForm();
    const self = { section: 0, field: 0 };
    expect(nameFollowsLabel("", "Full name", def, self)).toBe(true);
    expect(nameFollowsLabel(undefined, undefined, def, self)).toBe(true);
    expect(nameFollowsLabel("full_name", "Full name", def, self)).toBe(true);
    expect(nameFollowsLabel("contact_name", "Full name", def, self)).toBe(false);
  });

  it("counts a derived name made unique as still derived", () => {
    const def = onboardingForm();
    def.sections[3]?.fields.push({ type: "EMAIL", name: "email_2", label: "Email" });
    expect(nameFollowsLabel("email_2", "Email", def, { section: 3, field: 2 })).toBe(true);
  });
});

describe("checkFieldName", () => {
  const def = onboardingForm();
  it("accepts a good new name", () => {
    expect(checkFieldName("company_size", def)).toBeNull();
    expect(checkFieldName("email", def, { section: 0, field: 1 })).toBeNull();
  });
  it("explains what is wrong", () => {
    expect(checkFieldName("", def)).toMatch(/needs a name/);
    expect(checkFieldName("1abc", def)).toMatch(/start with a lower-case letter/);
    expect(checkFieldName("_x", def)).toMatch(/start with a lower-case letter/);
    expect(checkFieldName("Name", def)).toMatch(/start with a lower-case letter/);
    expect(checkFieldName("full-name", def)).toMatch(/lower-case letters a–z, digits and underscores/);
    expect(checkFieldName("email", def)).toMatch(/already named "email"/);
  });
});
