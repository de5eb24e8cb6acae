// Types of paraglide.options.js (plain JS so scripts/i18n-compile.mjs runs it under Node).
import type { CompilerOptions } from "@inlang/paraglide-js";

export declare const paraglideOptions: CompilerOptions;
