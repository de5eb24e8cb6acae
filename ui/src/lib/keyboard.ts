// The app's keyboard shortcuts: which key does what (`actionFor`), the list the Ctrl+/ sheet
// shows (`SHORTCUTS`), and the handlers a page registers for an action only it can do (Ctrl+S in
// the form builder). The shell (App.svelte) owns the one keydown listener and the app-wide
// actions; Esc is the native <dialog>'s own.

export type Action =
  "search" | "newCasefile" | "save" | "settings" | "page1" | "page2" | "page3" | "page4" | "zoomIn" | "zoomOut" | "zoomReset" | "help";

/** The parts of a KeyboardEvent the mapping reads (so tests need no DOM). */
export interface KeyPress {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
}

const PAGE_KEYS: Record<string, Action> = { "1": "page1", "2": "page2", "3": "page3", "4": "page4" };

/** The action a key press means, or null. Ctrl (⌘ on macOS) with no Alt; letters in either case. */
export function actionFor(e: KeyPress): Action | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  switch (key) {
    case "f":
      return "search";
    case "n":
      return "newCasefile";
    case "s":
      return "save";
    case ",":
      return "settings";
    case "+":
    case "=":
      return "zoomIn";
    case "-":
    case "_":
      return "zoomOut";
    case "0":
      return "zoomReset";
    case "/":
    case "?":
      return "help";
  }
  // Digits by their key, or by their physical key where the layout puts something else there
  // (Shift on a French keyboard); the numpad's + and − too.
  if (PAGE_KEYS[key]) return PAGE_KEYS[key];
  const digit = /^Digit([1-4])$/.exec(e.code ?? "");
  if (digit?.[1]) return PAGE_KEYS[digit[1]] ?? null;
  if (e.code === "NumpadAdd") return "zoomIn";
  if (e.code === "NumpadSubtract") return "zoomOut";
  return null;
}

/** What the shortcut sheet lists, in its order. */
export const SHORTCUTS: { keys: string[]; action: Action }[] = [
  { keys: ["Ctrl", "F"], action: "search" },
  { keys: ["Ctrl", "N"], action: "newCasefile" },
  { keys: ["Ctrl", "S"], action: "save" },
  { keys: ["Ctrl", ","], action: "settings" },
  { keys: ["Ctrl", "1"], action: "page1" },
  { keys: ["Ctrl", "2"], action: "page2" },
  { keys: ["Ctrl", "3"], action: "page3" },
  { keys: ["Ctrl", "4"], action: "page4" },
  { keys: ["Ctrl", "+"], action: "zoomIn" },
  { keys: ["Ctrl", "−"], action: "zoomOut" },
  { keys: ["Ctrl", "0"], action: "zoomReset" },
  { keys: ["Ctrl", "/"], action: "help" },
];

type Handler = () => void;
// The handlers pages registered, newest last: the newest one of an action runs.
const registered: { action: Action; run: Handler }[] = [];

/** A page's own handler for an action while it is shown; returns the function that removes it. */
export function registerShortcut(action: Action, run: Handler): () => void {
  const entry = { action, run };
  registered.push(entry);
  return () => {
    const i = registered.indexOf(entry);
    if (i >= 0) registered.splice(i, 1);
  };
}

/**
 * Runs the action of a key press: a page's registered handler first, else the shell's default.
 * Returns whether the press was a shortcut (the caller then prevents the browser's default).
 */
export function dispatchShortcut(e: KeyPress, defaults: Partial<Record<Action, Handler>>): boolean {
  const action = actionFor(e);
  if (!action) return false;
  const page = [...registered].reverse().find((h) => h.action === action);
  if (page) {
    page.run();
    return true;
  }
  const fallback = defaults[action];
  fallback?.();
  // Ctrl+S, Ctrl+F and Ctrl+N do nothing of the webview's own, handled or not.
  return true;
}

/** Focuses the current page's search field (the visible element marked data-shortcut="search"). */
export function focusSearch(root: ParentNode = document): boolean {
  const fields = Array.from(root.querySelectorAll<HTMLElement>('[data-shortcut="search"]'));
  const shown = fields.find((f) => f.getClientRects().length > 0 || !f.closest("[hidden]")) ?? null;
  if (!shown) return false;
  shown.focus();
  if (shown instanceof HTMLInputElement) shown.select();
  return true;
}
