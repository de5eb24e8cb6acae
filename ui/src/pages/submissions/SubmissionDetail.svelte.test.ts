// @vitest-environment jsdom
// A .svelte.test.ts file: the view's props are reactive state, so Next / Previous can move it
// to another submission while a review is being saved.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { SubmissionDetail as Detail, SubmissionRow } from "../../lib/backend";
import { withBackendDefaults } from "../../lib/testing/ipc";
import SubmissionDetail from "./SubmissionDetail.svelte";

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  clearMocks();
  document.body.innerHTML = "";
});

const FORM = {
  name: "KYC",
  sections: [{ slug: "about", title: "About you", fields: [{ name: "city", label: "City", type: "TEXT" as const }] }],
};

function detail(id: string, note: string | null): Detail {
  const row: SubmissionRow = {
    submissionId: id,
    formId: "f1",
    casefileId: null,
    requestId: null,
    version: 1,
    completedAt: "2026-03-01T10:00:00Z",
    respondentName: `Person ${id}`,
    respondentEmail: null,
    casefileStatus: null,
    reviewed: false,
    flagged: false,
    note,
    values: {},
  };
  return { row, answers: [], answersJson: null, syncedAt: "2026-03-02T10:00:00Z", previousId: null, nextId: null };
}

async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 10));
    flushSync();
  }
}

describe("the review of one submission", () => {
  it("stays with the submission it was made on when the user moves on while it saves", async () => {
    let releaseSave: (() => void) | null = null;
    const saved: string[] = [];
    mockIPC(
      withBackendDefaults(async (cmd, payload) => {
        const p = payload as { submissionId: string };
        if (cmd === "get_submission") return p.submissionId === "s1" ? detail("s1", null) : detail("s2", "Waiting for the passport copy");
        if (cmd === "set_review") {
          await new Promise<void>((r) => (releaseSave = r));
          saved.push(p.submissionId);
          return { reviewed: true, flagged: false, note: null };
        }
        throw new Error(`unexpected ${cmd}`);
      }),
    );
    let changed = 0;
    const props = $state({ formId: "f1", submissionId: "s1", definitionFor: async () => FORM, onreviewchanged: () => changed++ });
    const root = document.createElement("div");
    document.body.appendChild(root);
    app = mount(SubmissionDetail, { target: root, props });
    await settle();
    const reviewed = () => root.querySelector<HTMLInputElement>("[data-testid=review-reviewed]")!;
    reviewed().click();
    flushSync();
    // Next: the second submission opens while the first one's review is being saved.
    props.submissionId = "s2";
    await settle();
    expect(root.querySelector<HTMLTextAreaElement>("[data-testid=review-note]")!.value).toBe("Waiting for the passport copy");
    releaseSave!();
    await settle();
    expect(saved).toEqual(["s1"]);
    expect(changed).toBe(1);
    // The second submission keeps its own review.
    expect(reviewed().checked).toBe(false);
    expect(root.querySelector<HTMLTextAreaElement>("[data-testid=review-note]")!.value).toBe("Waiting for the passport copy");
    expect(root.querySelector("[data-testid=review-status]")!.textContent).toBe("");
  });
});
