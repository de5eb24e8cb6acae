import { describe, expect, it } from "vitest";
import { copyName, duplicateDefinition, editableDefinition } from "./duplicate";
import { onboardingForm } from "./fixtures.test-helpers";

describe("duplicate naming", () => {
  it('is "Copy of …", numbered when taken (case-insensitive)', () => {
    expect(copyName("KYC", [])).toBe("Copy of KYC");
    expect(copyName("KYC", ["copy of kyc"])).toBe("Copy of KYC (2)");
    expect(copyName("KYC", ["Copy of KYC", "Copy of KYC (2)"])).toBe("Copy of KYC (3)");
    expect(copyName("  ", [])).toBe("Copy of untitled form");
  });
});

describe("duplicateDefinition", () => {
  it("keeps the definition (unknown keys too) and drops what the server sets", () => {
    const server = {
      ...onboardingForm(),
      id: "f1",
      formId: "f1",
      status: "ACTIVE",
      version: 4,
      activeVersion: 4,
      latestVersion: 4,
      publicUrl: "https://x",
      createdAt: "2026-01-01",
      updatedAt: "2026-01-02",
    };
    const copy = duplicateDefinition(server, ["Client onboarding (KYC)"]);
    expect(copy.name).toBe("Copy of Client onboarding (KYC)");
    for (const k of ["id", "formId", "status", "version", "activeVersion", "latestVersion", "publicUrl", "createdAt", "updatedAt"]) {
      expect(copy).not.toHaveProperty(k);
    }
    expect(copy.sections).toEqual(onboardingForm().sections);
    expect(copy.someServerKey).toEqual({ kept: true });
    expect(copy.additionalSignersConfig).toEqual({ mode: "NONE", futureKey: [1, 2] });
    // The original is untouched.
    expect(server.name).toBe("Client onboarding (KYC)");
    expect(server.id).toBe("f1");
  });

  it("editableDefinition gives the builder a definition without server keys", () => {
    const d = editableDefinition({ id: "x", status: "DRAFT", version: 2, name: "A" });
    expect(d).toEqual({ name: "A", sections: [] });
  });
});
