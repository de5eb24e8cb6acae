// Test helpers for the date fields (components/DateInput.svelte): wait for the field's code, and
// type into it with the keyboard as a person would (key events on the focused part).
import { flushSync } from "svelte";

// The field's code is loaded here, while the test file loads: compiling bits-ui takes Vitest
// seconds the first time, which would otherwise count against the first test's time limit.
await import("../components/DateField.svelte");

/** Waits until every DateInput under `root` has loaded its field (its code is a lazy chunk). */
export async function dateFieldsLoaded(root: ParentNode): Promise<void> {
  for (let i = 0; i < 200; i++) {
    flushSync();
    if (!root.querySelector("[data-testid$=-pending]")) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("the date fields did not load");
}

/** The parts of the field with that test id, in the order they stand (`day`, `literal`, …). */
export function fieldParts(root: ParentNode, testid: string): { part: string; text: string }[] {
  const field = root.querySelector(`[data-testid="${testid}"]`);
  if (!field) throw new Error(`no field ${testid}`);
  return Array.from(field.querySelectorAll<HTMLElement>("[data-segment]")).map((s) => ({
    part: s.dataset.segment ?? "",
    text: s.textContent ?? "",
  }));
}

/** Presses keys on whatever has the focus (digits, "Backspace", "ArrowUp", "Tab" …). */
export function press(...keys: string[]) {
  for (const key of keys) {
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    flushSync();
  }
}

/** Focuses the first part of the field with that test id and types `text` (digits) into it. */
export function typeDate(root: ParentNode, testid: string, text: string) {
  const first = root.querySelector<HTMLElement>(`[data-testid="${testid}"] [role=spinbutton]`);
  if (!first) throw new Error(`no field ${testid}`);
  first.focus();
  flushSync();
  press(...text.split(""));
}
