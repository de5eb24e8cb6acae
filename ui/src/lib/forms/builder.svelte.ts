// The builder's state: the definition being edited (deeply reactive), its validation, autosave
// status and the last undoable deletion.

import { Autosaver, type AutosaveStatus, type DraftStore } from "./autosave";
import { validateForm, type ValidationIssue } from "./validate";
import type { FormDefinition } from "../backend";

export interface Undoable {
  message: string;
  undo: () => void;
}

/** What is being dragged in the builder (reordering by mouse; the keyboard uses the buttons). */
export type DragItem = { kind: "section"; index: number } | { kind: "field"; section: number; index: number };

export class BuilderState {
  dragging: DragItem | null = $state(null);
  def: FormDefinition = $state({ name: "", sections: [] });
  /**
   * The last error the server gave on save, placed on the part at fault; shown until that part
   * changes (`at` is the JSON of the part when the error came) or the next save.
   */
  serverIssue: { issue: ValidationIssue; at: string } | null = $state(null);
  issues: ValidationIssue[] = $derived.by(() => {
    const own = validateForm(this.def);
    const s = this.serverIssue;
    if (s && JSON.stringify(valueAtPath(this.def, s.issue.path) ?? null) === s.at) return [s.issue, ...own];
    return own;
  });
  errorCount: number = $derived(this.issues.filter((i) => i.severity === "error").length);
  warningCount: number = $derived(this.issues.filter((i) => i.severity === "warning").length);
  saveStatus: AutosaveStatus = $state("idle");
  lastSavedAt: string | null = $state(null);
  saveError: string | null = $state(null);
  undoable: Undoable | null = $state(null);

  readonly key: string;
  private readonly saver: Autosaver<FormDefinition>;

  /**
   * `initial` is what the store already holds for `key` (pass `savedInStore: false` for a value
   * that is not stored yet, such as a form just fetched from the server).
   */
  constructor(
    key: string,
    initial: FormDefinition,
    store: DraftStore<FormDefinition>,
    baseVersion: number | null = null,
    savedInStore = true,
  ) {
    this.key = key;
    this.def = initial;
    this.saver = new Autosaver<FormDefinition>({
      store,
      key,
      baseVersion,
      ...(savedInStore ? { saved: JSON.parse(JSON.stringify(initial)) as FormDefinition } : {}),
      onStatus: (status, error) => {
        this.saveStatus = status;
        this.lastSavedAt = this.saver.lastSavedAt;
        this.saveError = status === "error" ? String(error instanceof Error ? error.message : error) : null;
      },
    });
  }

  /** Call with a snapshot after every edit (the builder does this from an effect). */
  changed(snapshot: FormDefinition): void {
    this.saver.update(snapshot);
  }

  flush(): Promise<void> {
    return this.saver.flush();
  }

  discard(): Promise<void> {
    return this.saver.discard();
  }

  dispose(): void {
    this.saver.dispose();
  }

  offerUndo(message: string, undo: () => void): void {
    this.undoable = { message, undo };
  }

  undo(): void {
    const u = this.undoable;
    this.undoable = null;
    u?.undo();
  }

  /** Shows a server error beside the part it names (see `locateServerIssue`). */
  setServerIssue(issue: ValidationIssue | null): void {
    this.serverIssue = issue ? { issue, at: JSON.stringify(valueAtPath($state.snapshot(this.def), issue.path) ?? null) } : null;
  }

  issuesAt(path: string): ValidationIssue[] {
    return this.issues.filter((i) => i.path === path);
  }
}

/** The value at a builder path like `sections[1].fields[0].name` ("" is the whole form). */
export function valueAtPath(root: unknown, path: string): unknown {
  if (path === "") return root;
  let cur: unknown = root;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
