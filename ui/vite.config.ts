import { paraglideVitePlugin } from "@inlang/paraglide-js";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";
import { paraglideOptions } from "./paraglide.options.js";

// Tauri loads the dev server on a fixed port and the built files from ui/dist.
// The webview is WebKitGTK on Linux (Safari-class engine), WebView2 elsewhere.
export default defineConfig(({ mode }) => ({
  // Paraglide compiles messages/*.json into src/lib/paraglide/ (typed message functions, no eval).
  plugins: [paraglideVitePlugin(paraglideOptions), svelte()],
  // Under Vitest, component tests need Svelte's browser build (they run in jsdom).
  ...(mode === "test" ? { resolve: { conditions: ["browser"] } } : {}),
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: "127.0.0.1",
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    target: ["es2021", "safari13"],
    outDir: "dist",
    emptyOutDir: true,
    // No inline <script> or data: URLs, so the strict CSP (default-src 'self') holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // Rolldown's "plugin timings" note is noise on a slow CI machine.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  test: {
    include: ["src/**/*.test.ts", "scripts/**/*.test.mjs"],
    environment: "node",
    // Worker threads start faster than forked processes: 55 s against 61 s for the whole suite here.
    pool: "threads",
    setupFiles: ["src/lib/testing/english.ts"],
  },
}));
