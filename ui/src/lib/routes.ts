// The app's pages and the hash each one lives at (`#/forms`, `#/casefiles`, …).
// Hash routing needs no server support, so it works from `tauri://` and the Vite dev server.

import { m } from "./i18n.svelte";

export const PAGES = ["forms", "casefiles", "submissions", "settings"] as const;
export type Page = (typeof PAGES)[number];

export const DEFAULT_PAGE: Page = "forms";

/** Each page's title in the UI language (getters: read at use, so they follow a language change). */
export const PAGE_TITLES: Readonly<Record<Page, string>> = {
  get forms() {
    return m.nav_forms();
  },
  get casefiles() {
    return m.nav_casefiles();
  },
  get submissions() {
    return m.nav_submissions();
  },
  get settings() {
    return m.nav_settings();
  },
};

export interface Route {
  page: Page;
  /** Path segments after the page, e.g. `#/forms/abc/versions` → ["abc", "versions"]. */
  rest: string[];
}

function isPage(s: string): s is Page {
  return (PAGES as readonly string[]).includes(s);
}

/** Parses `location.hash`. Anything unknown or empty lands on the default page. */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, "").split("?")[0] ?? "";
  const segments = path
    .split("/")
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  const [first, ...rest] = segments;
  if (first !== undefined && isPage(first)) return { page: first, rest };
  return { page: DEFAULT_PAGE, rest: [] };
}

/** The hash for a page (and optional sub-path). */
export function hrefFor(page: Page, ...rest: string[]): string {
  const tail = rest.map((s) => "/" + encodeURIComponent(s)).join("");
  return `#/${page}${tail}`;
}
