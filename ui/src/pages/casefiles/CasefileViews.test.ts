// @vitest-environment jsdom
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { flushSync, mount, unmount } from "svelte";
import { withBackendDefaults } from "../../lib/testing/ipc";
import { dateFieldsLoaded, typeDate } from "../../lib/testing/dates";
import { afterEach, describe, expect, it } from "vitest";
import { INITIAL_SEND_STATE, reduceSend, type SendEvent } from "../../lib/casefiles/job";
import CasefileStatusChip from "../../lib/components/CasefileStatusChip.svelte";
import CasefileDetail from "./CasefileDetail.svelte";
import CasefileBrowser from "./CasefileBrowser.svelte";
import CasefileView from "./CasefileView.svelte";
import CasefileDrafts from "./CasefileDrafts.svelte";
import { resetCasefileDraftStore } from "../../lib/casefiles/drafts";
import { sends } from "../../lib/casefiles/sends.svelte";
import SendProgress from "./SendProgress.svelte";

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  clearMocks();
});

function target(): HTMLElement {
  const el = document.createElement("div");
  document.body.appendChild(el);
  return el;
}

describe("send progress", () => {
  it("shows the upload, then the result with copyable links", () => {
    const events: SendEvent[] = [
      { kind: "uploadStarted", bytesTotal: 4096, filesTotal: 2 },
      { kind: "uploadProgress", bytesSent: 2048, filesSent: 1 },
    ];
    const el = target();
    app = mount(SendProgress, { target: el, props: { send: events.reduce(reduceSend, INITIAL_SEND_STATE) } });
    flushSync();
    expect(el.querySelector("[data-testid=upload-bytes]")?.textContent?.replace(/\s+/g, " ").trim()).toBe(
      "2.0 kB of 4.0 kB · 1 of 2 files",
    );
    expect(Array.from(el.querySelectorAll<HTMLElement>("[data-testid=send-step]")).map((s) => s.dataset.status)).toEqual([
      "done",
      "current",
      "todo",
      "todo",
      "todo",
    ]);
    void unmount(app);

    const copied: string[] = [];
    const done = [
      ...events,
      { kind: "uploaded", job: { uuid: "u", payloadHash: "h" } },
      {
        kind: "jobStatus",
        jobStatus: "completed",
        casefileId: 1262730,
        signingLinks: [{ name: "Ida", role: "customer", signingLink: "https://sim/sign/1" }],
      },
    ] as SendEvent[];
    const el2 = target();
    app = mount(SendProgress, {
      target: el2,
      props: { send: done.reduce(reduceSend, INITIAL_SEND_STATE), oncopy: (t: string) => copied.push(t) },
    });
    flushSync();
    expect(el2.querySelector("[data-testid=created-casefile-id]")?.textContent).toBe("1262730");
    el2.querySelector<HTMLButtonElement>("[data-testid=copy-signing-link]")!.click();
    flushSync();
    expect(copied).toEqual(["https://sim/sign/1"]);
    expect(el2.querySelector("[data-testid=copy-signing-link]")?.textContent?.trim()).toBe("Copied");
  });

  it("names an unknown casefile status in its chip", () => {
    const el = target();
    app = mount(CasefileStatusChip, { target: el, props: { status: 12 } });
    flushSync();
    expect(el.textContent).toBe("Unknown status (12)");
  });
});

type DetailRecord = import("../../lib/casefiles/records").CasefileRecord;

describe("casefile detail", () => {
  it("shows signers by step with their status and allows downloads only when completed", () => {
    const casefile: DetailRecord = {
      casefileId: 7,
      title: "Engagement letter",
      reference: "CRM-4711",
      status: 1,
      signers: [
        { signerId: 1, name: "Ida", email: "ida@x.dk", role: "customer", status: "signed", statusCode: 4, signingOrder: 0 },
        { signerId: 2, name: "Bo", email: "bo@x.dk", role: "supplier", status: "opened", statusCode: 2, signingOrder: 1 },
        { signerId: 3, name: "Carl", email: null, status: "unknown", statusCode: 9, signingOrder: 1 },
        { signerId: 4, name: "Dana", email: "dana@x.dk", status: null, statusCode: 1, signingOrder: 2 },
      ],
      documents: [
        { documentId: 11, title: "Letter", docType: "signable", docOrder: 0 },
        { documentId: 12, title: "Terms", docType: "attachment", docOrder: 1 },
      ],
    };
    const downloads: number[] = [];
    const el = target();
    app = mount(CasefileDetail, {
      target: el,
      props: { casefile, ondownload: (id: number) => downloads.push(id), ondownloadall: () => {} },
    });
    flushSync();
    expect(Array.from(el.querySelectorAll<HTMLElement>("[data-testid=detail-signer]")).map((s) => `${s.dataset.stage}`)).toEqual([
      "signed",
      "opened",
      "unknown",
      "unknown",
    ]);
    // Until the account's numbering is learned: a neutral label with the raw code.
    expect(Array.from(el.querySelectorAll("[data-testid=signer-status]")).map((s) => s.textContent)).toEqual([
      "Signed",
      "Opened",
      "Unknown (9)",
      "Status code 1",
    ]);
    expect(el.querySelector("[data-testid=casefile-status]")?.textContent).toBe("Out for signing");
    expect(Array.from(el.querySelectorAll<HTMLButtonElement>("[data-testid=download-document]")).every((b) => b.disabled)).toBe(true);
    void unmount(app);

    const el2 = target();
    app = mount(CasefileDetail, {
      target: el2,
      props: { casefile: { ...casefile, status: 5 }, ondownload: (id: number) => downloads.push(id), ondownloadall: () => {} },
    });
    flushSync();
    el2.querySelectorAll<HTMLButtonElement>("[data-testid=download-document]")[1]!.click();
    expect(downloads).toEqual([12]);
    expect(el2.querySelector<HTMLButtonElement>("[data-testid=download-all]")?.disabled).toBe(false);
  });

  it("offers Copy link and Send reminder per signer while out for signing, with errors at the signer", async () => {
    const casefile: DetailRecord = {
      casefileId: 7,
      title: "Engagement letter",
      reference: null,
      status: 1,
      signers: [
        { signerId: 1, name: "Ida", email: "ida@x.dk", status: "signed", statusCode: 4, signingOrder: 0 },
        { signerId: 2, name: "Bo", email: "bo@x.dk", status: "sent", statusCode: 1, signingOrder: 1 },
        { signerId: 3, name: "Carl", email: null, status: null, statusCode: 1, signingOrder: 1 },
      ],
      documents: [],
    };
    const calls: string[] = [];
    const props = {
      casefile,
      onlink: async (id: number) => {
        calls.push(`link ${id}`);
      },
      onremind: async (id: number) => {
        calls.push(`remind ${id}`);
        if (id === 2) throw new Error("Casefile 7 is not out for signing (status 5)");
      },
    };
    const el = target();
    app = mount(CasefileDetail, { target: el, props });
    flushSync();
    const rows = Array.from(el.querySelectorAll<HTMLElement>("[data-testid=detail-signer]"));
    // A signed signer has neither; a signer without e-mail has no reminder.
    expect(
      rows.map((r) => [
        r.querySelector("[data-testid=copy-signer-link]") !== null,
        r.querySelector("[data-testid=remind-signer]") !== null,
      ]),
    ).toEqual([
      [false, false],
      [true, true],
      [true, false],
    ]);
    rows[1]!.querySelector<HTMLButtonElement>("[data-testid=copy-signer-link]")!.click();
    await Promise.resolve();
    await Promise.resolve();
    flushSync();
    expect(rows[1]!.querySelector("[data-testid=signer-action-result]")?.textContent).toBe("Link copied");
    rows[1]!.querySelector<HTMLButtonElement>("[data-testid=remind-signer]")!.click();
    await Promise.resolve();
    await Promise.resolve();
    flushSync();
    const result = rows[1]!.querySelector("[data-testid=signer-action-result]");
    expect(result?.textContent).toBe("No reminder sent: Casefile 7 is not out for signing (status 5)");
    expect(result?.getAttribute("role")).toBe("alert");
    expect(calls).toEqual(["link 2", "remind 2"]);
    void unmount(app);

    // Not out for signing: no buttons at all.
    const el2 = target();
    app = mount(CasefileDetail, { target: el2, props: { ...props, casefile: { ...casefile, status: 5 } } });
    flushSync();
    expect(el2.querySelector("[data-testid=copy-signer-link], [data-testid=remind-signer]")).toBeNull();
  });
});

describe("casefile list", () => {
  it("reads the cache, syncs in the background, and queries by search, status and dates", async () => {
    const casefiles = [
      {
        casefileId: 1,
        title: "Engagement letter",
        reference: "CRM-1",
        status: 1,
        signerCount: 2,
        signedCount: 1,
        createdAt: "2026-03-02T10:00:00Z",
        updatedAt: null,
        expireAt: null,
        syncedAt: "",
      },
      {
        casefileId: 2,
        title: "Employment contract",
        reference: null,
        status: 5,
        signerCount: 1,
        signedCount: 1,
        createdAt: "2026-03-03T10:00:00Z",
        updatedAt: null,
        expireAt: null,
        syncedAt: "",
      },
      {
        casefileId: 3,
        title: "NDA",
        reference: "crm-7",
        status: 7,
        signerCount: 1,
        signedCount: 0,
        createdAt: "2026-03-04T10:00:00Z",
        updatedAt: null,
        expireAt: null,
        syncedAt: "",
      },
    ];
    type Q = { statuses: number[]; search: string | null; from: string | null; to: string | null; dateField: string };
    const queries: Q[] = [];
    let synced = 0;
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        if (cmd === "sync_casefiles") {
          synced++;
          return 3;
        }
        if (cmd === "list_casefiles") {
          const q = (payload as { query: Q }).query;
          queries.push(q);
          const s = (q.search ?? "").toLowerCase();
          const result = casefiles.filter(
            (c) =>
              (q.statuses.length === 0 || q.statuses.includes(c.status)) &&
              (!s || c.title.toLowerCase().includes(s) || (c.reference ?? "").toLowerCase().includes(s)),
          );
          return { result, nextCursor: null };
        }
        throw new Error(`unexpected ${cmd}`);
      }),
      { shouldMockEvents: true },
    );
    const el = target();
    app = mount(CasefileBrowser, { target: el });
    const wait = async () => {
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 60));
        flushSync();
      }
    };
    await wait();
    expect(synced).toBe(1);
    const ids = () => Array.from(el.querySelectorAll<HTMLElement>("[data-testid=casefile-row]")).map((r) => r.dataset.id);
    expect(ids()).toEqual(["1", "2", "3"]);
    expect(el.querySelector("[data-testid=casefile-sync-status]")?.textContent).toContain("3 casefiles updated.");
    // Every status has its chip in the filter.
    expect(el.querySelectorAll("[data-testid=casefile-status-filter]")).toHaveLength(9);

    const search = el.querySelector<HTMLInputElement>("[data-testid=casefile-search]")!;
    search.value = "crm";
    search.dispatchEvent(new Event("input", { bubbles: true }));
    await wait();
    expect(queries[queries.length - 1]?.search).toBe("crm");
    expect(ids()).toEqual(["1", "3"]);
    el.querySelectorAll<HTMLInputElement>("[data-testid=casefile-status-filter]")[7]!.click();
    await wait();
    expect(queries[queries.length - 1]?.statuses).toEqual([7]);
    expect(ids()).toEqual(["3"]);
    expect(el.querySelector("[data-testid=casefile-row]")?.textContent).toContain("0 of 1 signed");

    // The dates are typed day first (the English UI's order), as a person types them.
    await dateFieldsLoaded(el);
    typeDate(el, "casefile-date-from", "03032026");
    await wait();
    expect(new Date(queries[queries.length - 1]!.from!).getTime()).toBe(new Date(2026, 2, 3).getTime());
    typeDate(el, "casefile-date-to", "01032026");
    const count = queries.length;
    await wait();
    // A range that ends before it starts is reported and not asked for.
    expect(el.textContent).toContain("The start date is after the end date.");
    expect(queries.length).toBe(count);

    el.querySelector<HTMLButtonElement>("[data-testid=open-casefile]")!.click();
    expect(location.hash).toBe("#/casefiles/3");
    // The row's Open button does the same, named for the casefile it opens.
    location.hash = "";
    const open = el.querySelector<HTMLButtonElement>("[data-testid=casefile-row] [data-testid=open-casefile-button]")!;
    expect(open.textContent?.trim()).toBe("Open");
    expect(open.getAttribute("aria-label")).toMatch(/^Open .+/);
    open.click();
    expect(location.hash).toBe("#/casefiles/3");
  });
});

describe("missed news", () => {
  it("the casefile list reads the cache again when news were missed on the way", async () => {
    let lists = 0;
    mockIPC(
      withBackendDefaults((cmd) => {
        if (cmd === "sync_casefiles") return 0;
        if (cmd === "list_casefiles") {
          lists++;
          return { result: [], nextCursor: null };
        }
        throw new Error(`unexpected ${cmd}`);
      }),
      { shouldMockEvents: true },
    );
    const el = target();
    app = mount(CasefileBrowser, { target: el });
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 60));
      flushSync();
    }
    const before = lists;
    // Unrelated news change nothing; missed news make the list read again.
    await emit("backend-event", { type: "jobStatus", entryId: "e", jobUuid: "j", status: "processing" });
    await new Promise((r) => setTimeout(r, 250));
    expect(lists).toBe(before);
    await emit("backend-event", { type: "newsMissed", count: 40 });
    await new Promise((r) => setTimeout(r, 250));
    expect(lists).toBe(before + 1);
  });
});

describe("drafts on this computer", () => {
  it("a draft leaves the list once its send has made the casefile", async () => {
    const kept = new Map<string, { id: string; draft: unknown; updatedAt: string }>();
    kept.set("k1", {
      id: "k1",
      draft: { title: "Engagement letter", signers: [], documents: [] },
      updatedAt: "2026-11-26T04:00:00.000000Z",
    });
    const created = {
      id: "e1",
      accountId: "a",
      state: "created",
      reference: "desk-e1",
      title: "Engagement letter",
      draft: {},
      files: [],
      jobUuid: "j",
      payloadHash: "h",
      casefileId: 77,
      message: null,
      note: null,
      attempts: 1,
      result: null,
      createdAt: "2026-11-26T04:00:00Z",
      updatedAt: "2026-11-26T04:00:09.000000Z",
    };
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        const p = payload as { draftId?: string };
        if (cmd === "list_casefile_drafts") return [...kept.values()];
        if (cmd === "delete_casefile_draft") return void kept.delete(p.draftId!);
        if (cmd === "outbox_entry") return created;
        throw new Error(`unexpected ${cmd}`);
      }),
      { shouldMockEvents: true },
    );
    resetCasefileDraftStore();
    localStorage.setItem("penneo-desk.casefile-send.e1", "k1");
    sends.listen();
    const el = target();
    app = mount(CasefileDrafts, { target: el });
    const settle = async () => {
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 20));
        flushSync();
      }
    };
    await settle();
    expect(el.querySelectorAll("[data-testid=casefile-draft-row]")).toHaveLength(1);
    // The send (started earlier, still going when the list was read) makes its casefile.
    await emit("backend-event", {
      type: "outboxChanged",
      entryId: "e1",
      state: "created",
      message: null,
      note: null,
      casefileId: 77,
      updatedAt: "2026-11-26T04:00:09.000000Z",
    });
    await settle();
    expect(kept.size).toBe(0);
    expect(el.querySelectorAll("[data-testid=casefile-draft-row]")).toHaveLength(0);
    await sends.stop();
  });
});

describe("a casefile draft's row", () => {
  it("opens with Open; Delete is in the row's menu and asks before the draft goes", async () => {
    const kept = new Map<string, { id: string; draft: unknown; updatedAt: string }>();
    for (const [id, title] of [
      ["k1", "Engagement letter"],
      ["k2", "Tax return authorisation"],
    ] as const) {
      kept.set(id, { id, draft: { title, signers: [], documents: [] }, updatedAt: "2026-11-26T04:00:00.000000Z" });
    }
    const deleted: string[] = [];
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        const p = payload as { draftId?: string };
        if (cmd === "list_casefile_drafts") return [...kept.values()];
        if (cmd === "delete_casefile_draft") {
          deleted.push(p.draftId!);
          return void kept.delete(p.draftId!);
        }
        throw new Error(`unexpected ${cmd}`);
      }),
      { shouldMockEvents: true },
    );
    resetCasefileDraftStore();
    const el = target();
    app = mount(CasefileDrafts, { target: el });
    const settle = async () => {
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 20));
        flushSync();
      }
    };
    await settle();
    const rows = () => Array.from(el.querySelectorAll<HTMLElement>("[data-testid=casefile-draft-row]"));
    const row = rows().find((r) => r.textContent?.includes("Engagement letter"))!;
    // One button on the row (Open, a link to the draft) and its menu; nothing else outlined.
    const open = row.querySelector<HTMLAnchorElement>("[data-testid=open-casefile-draft]")!;
    expect(open.getAttribute("href")).toBe("#/casefiles/draft/k1");
    expect(open.getAttribute("aria-label")).toBe("Open Engagement letter");
    expect(row.querySelectorAll(".btn")).toHaveLength(2);
    expect(row.querySelector("[data-testid=delete-casefile-draft]")).toBeNull();

    const menu = row.querySelector<HTMLButtonElement>("[data-testid=casefile-draft-menu]")!;
    expect(menu.getAttribute("aria-label")).toBe("Actions for Engagement letter");
    menu.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    await settle();
    const item = row.querySelector<HTMLButtonElement>("[role=menu] [data-testid=delete-casefile-draft]")!;
    expect(document.activeElement).toBe(item);
    item.click();
    await settle();
    // Asked first: Keep leaves the draft.
    const confirm = () => el.querySelector<HTMLElement>("[data-testid=delete-casefile-draft-confirm]");
    expect(confirm()?.textContent).toContain('Delete the draft "Engagement letter"?');
    Array.from(confirm()!.querySelectorAll("button"))
      .find((b) => b.textContent?.trim() === "Keep")!
      .click();
    await settle();
    expect(confirm()).toBeNull();
    expect(deleted).toEqual([]);
    expect(rows()).toHaveLength(2);

    menu.click();
    await settle();
    row.querySelector<HTMLButtonElement>("[data-testid=delete-casefile-draft]")!.click();
    await settle();
    el.querySelector<HTMLButtonElement>("[data-testid=delete-casefile-draft-yes]")!.click();
    await settle();
    expect(deleted).toEqual(["k1"]);
    expect(rows().map((r) => r.textContent)).toEqual([expect.stringContaining("Tax return authorisation")]);
  });
});

describe("casefile view", () => {
  it("keeps the newer read when a cache read answers after the refresh from Penneo", async () => {
    const base = {
      casefileId: 7,
      title: "Engagement letter",
      reference: null,
      language: "en",
      createdAt: null,
      updatedAt: null,
      sentAt: null,
      expireAt: null,
      completedAt: null,
      signers: [],
      documents: [],
      raw: {},
    };
    const cached = { ...base, status: 1, syncedAt: "2026-11-26T04:00:01.000000Z" };
    const fresh = { ...base, status: 5, syncedAt: "2026-11-26T04:00:02.000000Z" };
    let releaseCache: (() => void) | null = null;
    let refreshes = 0;
    mockIPC(
      async (cmd, payload) => {
        if (cmd === "get_casefile") {
          if ((payload as { refresh: boolean }).refresh) {
            // The refresh by hand answers; the one the view starts after its cache read never
            // does, so only the late cache read could change what is shown.
            refreshes++;
            if (refreshes > 1) await new Promise(() => {});
            return fresh;
          }
          // The first cache read is slow: it answers after the refresh.
          if (!releaseCache) {
            await new Promise<void>((r) => (releaseCache = r));
            return cached;
          }
          return fresh;
        }
        if (cmd === "casefile_files") return [];
        throw new Error(`unexpected ${cmd}`);
      },
      { shouldMockEvents: true },
    );
    const el = target();
    app = mount(CasefileView, { target: el, props: { casefileId: 7 } });
    const settle = async () => {
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 20));
        flushSync();
      }
    };
    await settle();
    // The view reads the cache, then Penneo; start a refresh by hand while the cache read waits.
    el.querySelector<HTMLButtonElement>("[data-testid=casefile-refresh]")!.click();
    await settle();
    expect(el.querySelector("[data-testid=casefile-status]")?.textContent).toBe("Completed");
    releaseCache!();
    await settle();
    expect(el.querySelector("[data-testid=casefile-status]")?.textContent).toBe("Completed");
  });
});
