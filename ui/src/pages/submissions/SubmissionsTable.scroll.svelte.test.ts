// @vitest-environment jsdom
// Runes in a test need a .svelte.test.ts file (the props below are reactive state).
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { answers, submission } from "../../lib/submissions/fixtures.test-helpers";
import SubmissionsTable from "./SubmissionsTable.svelte";

let app: ReturnType<typeof mount> | null = null;

class NoResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= NoResizeObserver;

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
});

describe("the submissions table between views", () => {
  it("starts a new view at its top, without paging in more of it", () => {
    const a = answers("Ida", ["Acme A/S"]);
    const page = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => submission(`${prefix}${i}`, new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), a));
    const props = $state({ rows: page("old", 1000), resetKey: 1, hasMore: true });
    let asked = 0;
    const el = document.createElement("div");
    document.body.appendChild(el);
    app = mount(SubmissionsTable, {
      target: el,
      props: {
        get rows() {
          return props.rows;
        },
        get resetKey() {
          return props.resetKey;
        },
        get hasMore() {
          return props.hasMore;
        },
        onneedmore: () => asked++,
      },
    });
    flushSync();
    // Scrolled near the end of the old view (jsdom has no layout: the position is set by hand).
    const viewport = el.querySelector<HTMLDivElement>("[data-testid=submissions-table]")!;
    let y = 35_000;
    Object.defineProperty(viewport, "scrollTop", { get: () => y, set: (v: number) => (y = v), configurable: true });
    viewport.dispatchEvent(new Event("scroll"));
    flushSync();
    expect(asked).toBe(1);
    expect(el.querySelector("[data-testid=submission-row]")?.getAttribute("data-id")).not.toBe("old0");
    // A new sort: its first page, with the same old position still in the element.
    props.rows = page("new", 500);
    props.resetKey = 2;
    flushSync();
    expect(asked).toBe(1);
    expect(y).toBe(0);
    expect(el.querySelector("[data-testid=submission-row]")?.getAttribute("data-id")).toBe("new0");
  });
});
