// @vitest-environment jsdom
// The submissions views against a mocked backend: the table reads the view's count and the pages
// near its window, and sends its filters as the backend's query; the export goes through the save dialog with the
// whole view; the search shows the marked text in <mark> and links to the submission.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SearchGroup, SubmissionQuery, TableRow } from "../../lib/backend";
import { withBackendDefaults } from "../../lib/testing/ipc";
import FormSubmissions from "./FormSubmissions.svelte";
import SearchResults from "./SearchResults.svelte";

class NoResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= NoResizeObserver;

let app: ReturnType<typeof mount> | null = null;
let root: HTMLElement;

beforeEach(() => {
  root = document.createElement("div");
  document.body.appendChild(root);
});

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  clearMocks();
  document.body.innerHTML = "";
});

// A row as the backend sends it: what is empty or unset left out.
const row = (i: number): TableRow => ({
  submissionId: `s${i}`,
  version: 1,
  completedAt: new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString(),
  respondent: `Person ${i}`,
  ...(i === 3 ? { reviewed: true } : {}),
  values: { city: `City ${i}` },
});

async function settle(rounds = 6) {
  for (let i = 0; i < rounds; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
}

const FORM = {
  name: "KYC",
  sections: [{ slug: "address", title: "Address", fields: [{ name: "city", label: "City", type: "TEXT" as const }] }],
};

describe("one form's submissions", () => {
  it("reads the view's count with its first page, the pages near the window, and sends the filters", async () => {
    const queries: SubmissionQuery[] = [];
    const TOTAL = 40_000;
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        if (cmd === "list_submissions") {
          const q = (payload as { query: SubmissionQuery }).query;
          queries.push(q);
          const offset = q.offset ?? 0;
          const n = Math.max(0, Math.min(q.limit ?? 0, TOTAL - offset));
          return { result: Array.from({ length: n }, (_, i) => row(offset + i)), nextCursor: null, total: q.withTotal ? TOTAL : null };
        }
        throw new Error(`unexpected ${cmd}`);
      }),
    );
    app = mount(FormSubmissions, { target: root, props: { formId: "f1", formName: "KYC", form: FORM, reloadKey: 0 } });
    await settle();
    const table = root.querySelector<HTMLElement>("[data-testid=submissions-table]")!;
    // The whole view's count, one page held, the first rows shown.
    expect(table.dataset.rowCount).toBe("40000");
    expect(table.dataset.rowsHeld).toBe("500");
    expect(queries.map((q) => [q.offset, q.withTotal, q.cursor])).toEqual([[0, true, null]]);
    expect(queries[0]).toMatchObject({
      formId: "f1",
      sort: { key: "completedAt" },
      descending: true,
      filters: [],
      columns: [],
      limit: 500,
    });
    expect(root.querySelector("[data-testid=submissions-count]")?.textContent?.trim()).toBe("40,000 submissions");
    expect(root.querySelector("[data-testid=submission-row]")?.getAttribute("data-id")).toBe("s0");

    // Scrolled to the end (jsdom has no layout: the position is set by hand): placeholders until
    // the last page arrives, and only that page is read, not the 79 before it.
    let y = TOTAL * 36;
    Object.defineProperty(table, "scrollTop", { get: () => y, set: (v: number) => (y = v), configurable: true });
    table.dispatchEvent(new Event("scroll"));
    flushSync();
    expect(root.querySelectorAll("[data-testid=submission-placeholder]").length).toBeGreaterThan(0);
    await settle();
    expect(queries.slice(1).map((q) => [q.offset, q.withTotal])).toEqual([[39_500, false]]);
    expect(root.querySelectorAll("[data-testid=submission-placeholder]").length).toBe(0);
    expect([...root.querySelectorAll<HTMLElement>("[data-testid=submission-row]")].pop()?.dataset.id).toBe("s39999");

    // The reviewed filter and a column from the form start the view again from its first page.
    const reviewed = root.querySelector<HTMLSelectElement>("[data-testid=filter-reviewed]")!;
    reviewed.value = "yes";
    reviewed.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    expect(y).toBe(0);
    const last = queries[queries.length - 1]!;
    expect(last).toMatchObject({ reviewed: true, offset: 0, withTotal: true });
    root.querySelector<HTMLInputElement>("[data-testid=column-option][data-field=city]")!.click();
    await settle();
    expect(queries.some((q) => q.columns.includes("city") && q.reviewed === true && q.offset === 0)).toBe(true);
    expect(root.querySelector("[data-testid=submission-row] td:last-child")?.textContent).toMatch(/^City \d+$/);
    expect(table.dataset.rowsHeld).toBe("500");
    expect(root.querySelector("[data-testid=submissions-count]")?.textContent?.trim()).toBe("40,000 submissions match");
  });

  it("reads the window again after a sync, keeping the picks", async () => {
    const queries: SubmissionQuery[] = [];
    let total = 3;
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        if (cmd === "list_submissions") {
          const q = (payload as { query: SubmissionQuery }).query;
          queries.push(q);
          return { result: Array.from({ length: total }, (_, i) => row(i)), nextCursor: null, total: q.withTotal ? total : null };
        }
        throw new Error(`unexpected ${cmd}`);
      }),
    );
    const props = $state({ formId: "f2", formName: "KYC", form: FORM, reloadKey: 0 });
    app = mount(FormSubmissions, { target: root, props });
    await settle();
    const boxes = () => [...root.querySelectorAll<HTMLInputElement>("[data-testid=submission-pick]")];
    boxes()[0]!.click();
    boxes()[2]!.click();
    await settle();
    total = 4;
    props.reloadKey = 1;
    await settle();
    expect(queries.map((q) => [q.offset, q.withTotal])).toEqual([
      [0, true],
      [0, true],
    ]);
    expect(root.querySelectorAll("[data-testid=submission-row]").length).toBe(4);
    expect(root.querySelector("[data-testid=submissions-count]")?.textContent?.trim()).toBe("4 submissions");
    expect(boxes().map((b) => b.checked)).toEqual([true, false, true, false]);
    expect(root.querySelector<HTMLButtonElement>("[data-testid=compare-selected]")?.disabled).toBe(false);
  });

  it("exports the whole view through the save dialog and offers to show the file", async () => {
    const calls: { cmd: string; payload: unknown }[] = [];
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        calls.push({ cmd, payload });
        if (cmd === "list_submissions") return { result: [row(1), row(2)], nextCursor: null, total: 2 };
        if (cmd === "pick_save_path") return "/home/ida/Documents/kyc-submissions.csv";
        if (cmd === "export_submissions") return { path: "/home/ida/Documents/kyc-submissions.csv", rows: 2, columns: ["cpr", "city"] };
        if (cmd === "show_in_folder") return null;
        throw new Error(`unexpected ${cmd}`);
      }),
    );
    app = mount(FormSubmissions, { target: root, props: { formId: "f1", formName: "KYC – individual", form: FORM, reloadKey: 0 } });
    await settle();
    root.querySelector<HTMLButtonElement>("[data-testid=export-csv]")!.click();
    await settle();
    const pick = calls.find((c) => c.cmd === "pick_save_path")!.payload as {
      suggestedName: string;
      filterName: string;
      extensions: string[];
    };
    expect(pick.suggestedName).toMatch(/^kyc-individual-submissions-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(pick.filterName).toBe("CSV");
    expect(pick.extensions).toEqual(["csv"]);
    const exp = calls.find((c) => c.cmd === "export_submissions")!.payload as { query: SubmissionQuery; format: string; path: string };
    expect(exp.format).toBe("csv");
    expect(exp.path).toBe("/home/ida/Documents/kyc-submissions.csv");
    expect(exp.query).toMatchObject({ formId: "f1", limit: null, cursor: null });
    const result = root.querySelector<HTMLElement>("[data-testid=export-result]")!;
    expect(result.dataset.rows).toBe("2");
    expect(result.textContent).toContain("/home/ida/Documents/kyc-submissions.csv");
    root.querySelector<HTMLButtonElement>("[data-testid=show-in-folder]")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "show_in_folder")?.payload).toMatchObject({ path: "/home/ida/Documents/kyc-submissions.csv" });
  });

  it("writes nothing when the save dialog is cancelled", async () => {
    const cmds: string[] = [];
    mockIPC(
      withBackendDefaults((cmd) => {
        cmds.push(cmd);
        if (cmd === "list_submissions") return { result: [row(1)], nextCursor: null, total: 1 };
        if (cmd === "pick_save_path") return null;
        throw new Error(`unexpected ${cmd}`);
      }),
    );
    app = mount(FormSubmissions, { target: root, props: { formId: "f1", formName: "KYC", form: FORM, reloadKey: 0 } });
    await settle();
    root.querySelector<HTMLButtonElement>("[data-testid=export-json]")!.click();
    await settle();
    expect(cmds).not.toContain("export_submissions");
    expect(root.querySelector("[data-testid=export-result]")).toBeNull();
    expect(root.querySelector("[data-testid=export-error]")).toBeNull();
  });
});

describe("the search over all answers", () => {
  it("groups hits by form, marks the matched text and links to the submission", async () => {
    const groups: SearchGroup[] = [
      {
        formId: "f1",
        formName: "KYC – individual client",
        total: 1,
        totalIsLowerBound: false,
        hits: [
          {
            submissionId: "s9",
            sectionSlug: "personal",
            instanceIndex: 0,
            fieldName: "cpr",
            label: "CPR number",
            value: [{ text: "271282-3556", hit: true }],
            snippet: [
              { text: "271282", hit: true },
              { text: "-", hit: false },
              { text: "3556", hit: true },
            ],
            completedAt: "2026-10-26T01:52:29Z",
            respondentName: "Mikkel <b>Jensen</b>",
          },
        ],
      },
    ];
    let asked: unknown = null;
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        if (cmd === "search_answers") {
          asked = payload;
          return { result: groups, nextCursor: null };
        }
        throw new Error(`unexpected ${cmd}`);
      }),
    );
    app = mount(SearchResults, { target: root, props: { text: " 271282-3556 " } });
    await new Promise((r) => setTimeout(r, 250));
    await settle();
    expect(asked).toMatchObject({ query: { text: "271282-3556", cursor: null } });
    const hit = root.querySelector<HTMLAnchorElement>("[data-testid=search-hit]")!;
    expect(hit.getAttribute("href")).toBe("#/submissions/f1/s9");
    expect([...hit.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["271282", "3556"]);
    // Text from answers is text, never markup.
    expect(hit.querySelector("b")).toBeNull();
    expect(hit.textContent).toContain("Mikkel <b>Jensen</b>");
    expect(root.querySelector("[data-testid=search-group-count]")?.textContent).toBe("1 match");
  });
});
