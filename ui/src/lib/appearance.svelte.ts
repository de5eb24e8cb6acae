// The window's own preferences, kept in this webview's localStorage (per machine, across
// restarts): the theme (System follows the OS's prefers-color-scheme) and the zoom, applied
// through Tauri's webview zoom in the app (CSS zoom in a plain browser, as in `npm run dev`).

import { getCurrentWebview } from "@tauri-apps/api/webview";

export type ThemeChoice = "system" | "light" | "dark";
export const THEME_CHOICES: ThemeChoice[] = ["system", "light", "dark"];

const THEME_KEY = "penneo-desk.theme";
const ZOOM_KEY = "penneo-desk.zoom";

/** The zoom steps Ctrl +/− walk through (as in a browser). */
export const ZOOM_STEPS = [0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2];

/** The next zoom step up (+1), down (−1) or back to 100 % (0) from `current`. */
export function stepZoom(current: number, direction: 1 | -1 | 0): number {
  if (direction === 0) return 1;
  if (direction > 0) return ZOOM_STEPS.find((z) => z > current + 0.001) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1]!;
  return [...ZOOM_STEPS].reverse().find((z) => z < current - 0.001) ?? ZOOM_STEPS[0]!;
}

export function parseTheme(v: string | null): ThemeChoice {
  return v === "light" || v === "dark" ? v : "system";
}

export function parseZoom(v: string | null): number {
  const z = Number(v);
  return Number.isFinite(z) && z >= ZOOM_STEPS[0]! && z <= ZOOM_STEPS[ZOOM_STEPS.length - 1]! ? z : 1;
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* a full or unavailable storage: the choice holds for this run */
  }
}

const inTauri = () => typeof globalThis !== "undefined" && "__TAURI_INTERNALS__" in globalThis;

class Appearance {
  theme: ThemeChoice = $state(parseTheme(read(THEME_KEY)));
  zoom = $state(parseZoom(read(ZOOM_KEY)));
  systemDark = $state(false);
  readonly resolvedTheme = $derived<"light" | "dark">(this.theme === "system" ? (this.systemDark ? "dark" : "light") : this.theme);

  /** Follows the OS theme and applies the preferences now and on every change. */
  start(): () => void {
    const media = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
    this.systemDark = media?.matches ?? false;
    const onChange = (e: MediaQueryListEvent) => (this.systemDark = e.matches);
    media?.addEventListener("change", onChange);
    const stop = $effect.root(() => {
      $effect(() => {
        document.documentElement.dataset.theme = this.resolvedTheme;
      });
      $effect(() => {
        void applyZoom(this.zoom);
      });
    });
    return () => {
      media?.removeEventListener("change", onChange);
      stop();
    };
  }

  setTheme(choice: ThemeChoice): void {
    this.theme = choice;
    write(THEME_KEY, choice);
  }

  zoomBy(direction: 1 | -1 | 0): void {
    this.zoom = stepZoom(this.zoom, direction);
    write(ZOOM_KEY, String(this.zoom));
  }
}

async function applyZoom(z: number): Promise<void> {
  if (inTauri()) {
    try {
      await getCurrentWebview().setZoom(z);
      return;
    } catch {
      /* not allowed or not supported: fall back to CSS zoom below */
    }
  }
  document.documentElement.style.setProperty("zoom", z === 1 ? "" : String(z));
}

export const appearance = new Appearance();
