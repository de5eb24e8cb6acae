// Compiles messages/*.json into typed message functions (src/lib/paraglide/), the same
// compilation the Vite plugin does on build, dev and Vitest. Run by the `pre*` npm scripts so
// svelte-check and the linters see the generated modules in a clean clone.
import { compile } from "@inlang/paraglide-js";
import { paraglideOptions } from "../paraglide.options.js";

await compile(paraglideOptions);
