// Paraglide JS compiler options, shared by the Vite plugin (vite.config.ts: build, dev server,
// Vitest) and scripts/i18n-compile.mjs (run before svelte-check and the linters). The compiled
// output in src/lib/paraglide/ is generated, never committed.
export const paraglideOptions = {
  project: "./project.inlang",
  outdir: "./src/lib/paraglide",
  // The UI picks the language itself (src/lib/i18n.svelte.ts overrides getLocale/setLocale): the
  // choice saved in Settings, else the OS locale, else English.
  strategy: ["globalVariable", "baseLocale"],
  emitTsDeclarations: true,
  emitReadme: false,
  emitPrettierIgnore: false,
};
