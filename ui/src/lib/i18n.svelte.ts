// The UI's language. Every component and module gets its messages from here (`m.some_key()`),
// never from ./paraglide directly, so the language below is in place before the first message
// is worded. The messages are Paraglide JS functions compiled from ui/messages/<language>.json.
//
// Which language: the one chosen in Settings (localStorage `penneo-desk.language`), else the
// OS locale as the webview reports it (navigator.language: da, nb/no/nn, sv, en), else English.
// The language is Svelte state: a message worded in a template or a $derived follows a change
// at once, without a restart.

import { baseLocale, locales, overwriteGetLocale, overwriteSetLocale, type Locale } from "./paraglide/runtime.js";

export * as m from "./paraglide/messages.js";

export type Language = Locale;

/** The languages of the UI, in the picker's order. */
export const LANGUAGES: readonly Language[] = locales;

/** Each language's name in that language (the picker shows these whatever the UI language). */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: "English",
  da: "Dansk",
  sv: "Svenska",
  nb: "Norsk bokmål",
};

/** localStorage key of the language chosen in Settings; absent = follow the OS. */
export const LANGUAGE_KEY = "penneo-desk.language";

/** The UI language for a BCP 47 tag from the OS (`da-DK` → da, `no`/`nn` → nb); else English. */
export function languageForTag(tag: string | null | undefined): Language {
  const primary = (tag ?? "").trim().toLowerCase().split(/[-_.]/)[0];
  switch (primary) {
    case "da":
      return "da";
    case "nb":
    case "no":
    case "nn":
      return "nb";
    case "sv":
      return "sv";
    default:
      return baseLocale;
  }
}

function isLanguage(v: unknown): v is Language {
  return typeof v === "string" && (locales as readonly string[]).includes(v);
}

function storage(): Storage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The language the OS asks for (the webview's navigator.language); English without one. */
export function systemLanguage(): Language {
  const nav = typeof navigator === "undefined" ? undefined : navigator;
  return languageForTag(nav?.language);
}

/** The language chosen in Settings, or undefined when the UI follows the OS. */
function savedLanguage(): Language | undefined {
  const saved = storage()?.getItem(LANGUAGE_KEY);
  return isLanguage(saved) ? saved : undefined;
}

const startLanguage = savedLanguage() ?? systemLanguage();
let choice = $state<Language | undefined>(savedLanguage());
let current = $state<Language>(startLanguage);

overwriteGetLocale(() => current);
overwriteSetLocale((next) => {
  current = next;
});

// The page's `lang` is the Intl locale (da-DK, en-GB), for screen readers and hyphenation. It does
// not order a native date input's parts (WebKitGTK takes them from the web process's locale,
// WebView2 from the browser's language): the app's date fields are components/DateInput.svelte.
function applyToDocument(language: Language) {
  if (typeof document !== "undefined") document.documentElement.lang = intlLocale(language);
}
applyToDocument(startLanguage);

/** The UI language now (reactive). */
export function language(): Language {
  return current;
}

/** What Settings shows as chosen: a language, or "system" (follow the OS). */
export function languageChoice(): Language | "system" {
  return choice ?? "system";
}

/** Switches the UI language at once and remembers the choice; "system" follows the OS again. */
export function setLanguage(next: Language | "system") {
  const store = storage();
  if (next === "system") {
    choice = undefined;
    store?.removeItem(LANGUAGE_KEY);
    current = systemLanguage();
  } else {
    choice = next;
    store?.setItem(LANGUAGE_KEY, next);
    current = next;
  }
  applyToDocument(current);
}

/** The `Intl` locale for the UI language: English with day-month order and a 24-hour clock. */
export function intlLocale(language: Language = current): string {
  switch (language) {
    case "da":
      return "da-DK";
    case "sv":
      return "sv-SE";
    case "nb":
      return "nb-NO";
    default:
      return "en-GB";
  }
}

/**
 * A count with its noun: `one` for exactly 1, else `other` with `{count}` (English, Danish,
 * Swedish and Norwegian all have these two plural forms).
 */
export function count(n: number, one: () => string, other: (p: { count: string }) => string): string {
  return n === 1 ? one() : other({ count: String(n) });
}
