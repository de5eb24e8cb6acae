// @vitest-environment jsdom
// A .svelte.test.ts file: the props of the view test below are reactive state (runes).
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { SortKey, SubmissionFilter } from "../../lib/submissions/filter";
import type { TableRow } from "../../lib/backend";
import SubmissionFilters from "./SubmissionFilters.svelte";
import SubmissionsTable from "./SubmissionsTable.svelte";

let app: ReturnType<typeof mount> | null = null;

// jsdom has no layout and no ResizeObserver (the webview has both); a stand-in that never fires.
class NoResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= NoResizeObserver;

// A row as `listSubmissions` sends it, with the customer column read.
const tableRow = (id: string, completedAt: string, extra: Partial<TableRow> = {}): TableRow => ({
  submissionId: id,
  completedAt,
  respondent: "Ida",
  version: 2,
  values: { reference_customer: "Acme A/S" },
  ...extra,
});

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
});

describe("the submissions table", () => {
  it("starts a new view at its top, and reports only the new view's window", () => {
    const page = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => tableRow(`${prefix}${i}`, new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()));
    const props = $state({ rows: page("old", 1000), resetKey: 1 });
    const windows: [number, number][] = [];
    const el = document.createElement("div");
    document.body.appendChild(el);
    app = mount(SubmissionsTable, {
      target: el,
      props: {
        get count() {
          return props.rows.length;
        },
        rowAt: (i: number) => props.rows[i],
        get resetKey() {
          return props.resetKey;
        },
        onwindow: (start: number, end: number) => windows.push([start, end]),
      },
    });
    flushSync();
    expect(windows[0]?.[0]).toBe(0);
    // Scrolled near the end of the old view (jsdom has no layout: the position is set by hand).
    const viewport = el.querySelector<HTMLDivElement>("[data-testid=submissions-table]")!;
    let y = 35_000;
    Object.defineProperty(viewport, "scrollTop", { get: () => y, set: (v: number) => (y = v), configurable: true });
    viewport.dispatchEvent(new Event("scroll"));
    flushSync();
    expect(windows[windows.length - 1]![0]).toBeGreaterThan(900);
    expect(el.querySelector("[data-testid=submission-row]")?.getAttribute("data-id")).not.toBe("old0");
    // A new sort: its first rows, with the same old position still in the element; the window
    // reported is the new view's top, never the old position again.
    const before = windows.length;
    props.rows = page("new", 500);
    props.resetKey = 2;
    flushSync();
    expect(y).toBe(0);
    expect(windows.slice(before).every(([start]) => start === 0)).toBe(true);
    expect(el.querySelector("[data-testid=submission-row]")?.getAttribute("data-id")).toBe("new0");
  });

  it("sizes itself for the whole view and draws rows not read yet as busy placeholders", () => {
    // 100,000 rows in the view, only the first 500 read.
    const held = Array.from({ length: 500 }, (_, i) => tableRow(`s${i}`, new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()));
    const opened: string[] = [];
    const el = document.createElement("div");
    document.body.appendChild(el);
    app = mount(SubmissionsTable, {
      target: el,
      props: { count: 100_000, rowAt: (i: number) => held[i], rowsHeld: 500, onopen: (id: string) => opened.push(id) },
    });
    flushSync();
    const viewport = el.querySelector<HTMLDivElement>("[data-testid=submissions-table]")!;
    expect(viewport.dataset.rowCount).toBe("100000");
    expect(viewport.dataset.rowsHeld).toBe("500");
    expect(el.querySelector("table")?.getAttribute("aria-rowcount")).toBe("100001");
    expect(el.querySelectorAll("[data-testid=submission-placeholder]").length).toBe(0);
    // The spacer below the window stands for every row of the view, read or not.
    const spacers = el.querySelectorAll<HTMLElement>("tr.spacer");
    const after = Number.parseInt(spacers[spacers.length - 1]!.style.height, 10);
    const rendered = el.querySelectorAll("tbody tr:not(.spacer)").length;
    expect(after).toBe((100_000 - rendered) * 36);
    // The keyboard goes to the last row: not read, a placeholder, busy, still the active row.
    const tbody = el.querySelector("tbody")!;
    tbody.dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
    flushSync();
    const placeholders = el.querySelectorAll<HTMLElement>("[data-testid=submission-placeholder]");
    expect(placeholders.length).toBeGreaterThan(0);
    expect(el.querySelectorAll("[data-testid=submission-row]").length).toBe(0);
    expect([...placeholders].every((p) => p.getAttribute("aria-busy") === "true")).toBe(true);
    const grid = el.querySelector<HTMLElement>("table[role=grid]")!;
    const activeRow = document.getElementById(grid.getAttribute("aria-activedescendant") ?? "");
    expect(activeRow?.getAttribute("aria-rowindex")).toBe("100001");
    expect(activeRow?.dataset.testid).toBe("submission-placeholder");
    // Enter on a row not read yet opens nothing.
    tbody.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(opened).toEqual([]);
  });

  it("renders only a window of 10,000 rows and reports sort, open and picks", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      tableRow(`s${i}`, new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), { casefileStatus: i % 9 }),
    );
    const sorts: SortKey[] = [];
    const opened: string[] = [];
    const picks: string[][] = [];
    const el = document.createElement("div");
    document.body.appendChild(el);
    let selected: string[] = [];
    app = mount(SubmissionsTable, {
      target: el,
      props: {
        count: rows.length,
        rowAt: (i: number) => rows[i],
        columns: [{ name: "reference_customer", label: "Customer" }],
        get selected() {
          return selected;
        },
        onsort: (k: SortKey) => sorts.push(k),
        onopen: (id: string) => opened.push(id),
        onselect: (ids: string[]) => {
          picks.push(ids);
          selected = ids;
        },
      },
    });
    flushSync();
    const rendered = el.querySelectorAll("[data-testid=submission-row]");
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(60);
    expect(el.querySelector("[data-testid=submissions-table]")?.getAttribute("data-row-count")).toBe("10000");
    expect(rendered[0]?.textContent).toContain("Acme A/S");

    el.querySelector<HTMLButtonElement>("[data-testid=sort-version]")!.click();
    el.querySelector<HTMLButtonElement>("[data-testid=sort-field]")!.click();
    expect(sorts).toEqual([{ key: "version" }, { key: "field", field: "reference_customer" }]);

    const tbody = el.querySelector("tbody")!;
    tbody.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    tbody.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(opened).toEqual(["s1"]);
    tbody.dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
    tbody.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(opened).toEqual(["s1", "s9999"]);

    // The window followed the keyboard to the end.
    flushSync();
    const ids = Array.from(el.querySelectorAll<HTMLElement>("[data-testid=submission-row]")).map((r) => r.dataset.id);
    expect(ids).toContain("s9999");
    expect(ids).not.toContain("s0");

    // The grid names its active row, which is the one selected; each pick box names its respondent.
    const grid = el.querySelector<HTMLElement>("table[role=grid]")!;
    const activeRow = document.getElementById(grid.getAttribute("aria-activedescendant") ?? "");
    expect(activeRow?.dataset.id).toBe("s9999");
    expect(activeRow?.getAttribute("aria-selected")).toBe("true");
    expect(el.querySelectorAll("[aria-selected=true]").length).toBe(1);
    expect(activeRow?.querySelector("[data-testid=submission-pick]")?.getAttribute("aria-label")).toMatch(/^Pick \S.* for comparison$/);

    const boxes = () => Array.from(el.querySelectorAll<HTMLInputElement>("[data-testid=submission-pick]"));
    boxes()[0]!.click();
    flushSync();
    const n = boxes().length;
    expect(n).toBeGreaterThan(2);
    boxes()[1]!.click();
    boxes()[2]!.click();
    // A third pick drops the oldest: two are compared.
    expect(picks[picks.length - 1]).toEqual([ids[1], ids[2]]);
  });
});

describe("the filter bar", () => {
  it("reports field conditions and review filters", () => {
    const seen: SubmissionFilter[] = [];
    let filter: SubmissionFilter = {};
    const el = document.createElement("div");
    document.body.appendChild(el);
    app = mount(SubmissionFilters, {
      target: el,
      props: {
        get filter() {
          return filter;
        },
        fields: [{ name: "contact_name", label: "Name" }],
        onchange: (f: SubmissionFilter) => {
          seen.push(f);
          filter = f;
        },
      },
    });
    flushSync();
    el.querySelector<HTMLButtonElement>("[data-testid=add-field-filter]")!.click();
    const reviewed = el.querySelector<HTMLSelectElement>("[data-testid=filter-reviewed]")!;
    reviewed.value = "no";
    reviewed.dispatchEvent(new Event("change", { bubbles: true }));
    expect(seen).toEqual([
      { fields: [{ field: "contact_name", op: "contains", value: "" }] },
      { fields: [{ field: "contact_name", op: "contains", value: "" }], reviewed: false },
    ]);
  });
});
