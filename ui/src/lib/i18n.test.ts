import { afterEach, describe, expect, it } from "vitest";
import { errorDetails, errorText } from "./errors";
import { intlLocale, language, languageChoice, languageForTag, setLanguage, systemLanguage } from "./i18n.svelte";

afterEach(() => setLanguage("system"));

describe("languageForTag", () => {
  it("maps the OS locale to a UI language, anything else to English", () => {
    expect(languageForTag("da-DK")).toBe("da");
    expect(languageForTag("nb_NO.UTF-8")).toBe("nb");
    expect(languageForTag("no")).toBe("nb");
    expect(languageForTag("nn-NO")).toBe("nb");
    expect(languageForTag("sv-FI")).toBe("sv");
    expect(languageForTag("en-US")).toBe("en");
    expect(languageForTag("de-DE")).toBe("en");
    expect(languageForTag(undefined)).toBe("en");
  });
});

describe("the UI language", () => {
  it("starts in English under Vitest and switches without a restart", () => {
    expect(systemLanguage()).toBe("en");
    expect(language()).toBe("en");
    expect(languageChoice()).toBe("system");
    setLanguage("da");
    expect(language()).toBe("da");
    expect(languageChoice()).toBe("da");
    expect(intlLocale()).toBe("da-DK");
    setLanguage("system");
    expect(language()).toBe("en");
    expect(intlLocale()).toBe("en-GB");
  });
});

describe("errorText", () => {
  it("words a known code in the UI language and keeps the backend's text as details", () => {
    setLanguage("da");
    const e = { code: "offline" as const, message: "error sending request: dns error" };
    expect(errorText(e)).toBe("Penneo kan ikke nås. Tjek internetforbindelsen, og prøv igen.");
    expect(errorDetails(e)).toBe("error sending request: dns error");
  });

  it("fills in the backend's parameters when it sends them", () => {
    setLanguage("da");
    expect(errorText({ code: "rate_limited", message: "Too many requests", params: { retryAfterSecs: 30 } })).toBe(
      "Penneo beder os sætte farten ned. Prøv igen om 30 sekunder.",
    );
    setLanguage("en");
    expect(errorText({ code: "rate_limited", message: "Too many requests", params: null })).toBe(
      "Penneo asks us to slow down. Try again in a moment.",
    );
  });

  it("quotes Penneo's own words as Penneo's after the error's sentence", () => {
    const down = {
      code: "server" as const,
      message: "Penneo had a problem (503): Scheduled maintenance",
      params: { status: 503, penneoMessage: "Scheduled maintenance" },
    };
    expect(errorText(down)).toBe("Penneo had a problem with the request. Try again later. Penneo said: “Scheduled maintenance”");
    setLanguage("da");
    expect(errorText(down)).toBe("Penneo havde et problem med forespørgslen. Prøv igen senere. Penneo skrev: »Scheduled maintenance«");
  });

  it("keeps the backend's specific English sentence in English, and its text for an unknown code", () => {
    expect(errorText({ code: "invalid_input", message: "The title is too long (max 255)." })).toBe("The title is too long (max 255).");
    expect(errorText({ code: "brand_new_code" as never, message: "Something new happened." })).toBe("Something new happened.");
    setLanguage("da");
    expect(errorText({ code: "brand_new_code" as never, message: "Something new happened." })).toBe("Something new happened.");
  });
});
