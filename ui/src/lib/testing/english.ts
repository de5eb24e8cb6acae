// Vitest setup (vite.config.ts `test.setupFiles`): every test file starts in an English OS, so
// text assertions do not depend on the machine's locale (Node 21+ and jsdom have a
// navigator.language). A test that wants Danish calls `setLanguage("da")` from lib/i18n.svelte.
if (typeof navigator !== "undefined") {
  Object.defineProperty(navigator, "language", { value: "en-US", configurable: true });
}
