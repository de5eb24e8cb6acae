// @vitest-environment jsdom
// The new-casefile editor in a DOM: start a draft from the Casefiles page, name it, add signers
// and put them in order with the keyboard, add documents through an injected file intake, see the
// problems, and find the draft kept on this computer. Sending stays disabled.
import { clearMocks, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "../../App.svelte";
import { CASEFILE_DRAFT_PREFIX, resetCasefileDraftStore } from "../../lib/casefiles/drafts";
import type { FileIntake } from "../../lib/casefiles/intake";
import { emptyDraft, toSendPayload, type CasefileEditorDraft } from "../../lib/casefiles/editorDraft";
import CasefileEditor from "./CasefileEditor.svelte";
import { withBackendDefaults } from "../../lib/testing/ipc";
import { settle } from "../../lib/testing/settle";

let app: ReturnType<typeof mount> | null = null;
let root: HTMLElement;

function all<T extends HTMLElement = HTMLElement>(selector: string, within: ParentNode = root): T[] {
  return Array.from(within.querySelectorAll<T>(selector));
}

function q<T extends HTMLElement = HTMLElement>(selector: string, within: ParentNode = root): T {
  const el = within.querySelector<T>(selector);
  if (!el) throw new Error(`nothing matches ${selector}`);
  return el;
}

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

function key(el: HTMLElement, k: string) {
  el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
  flushSync();
}

/** Lanes as "Ida Bo | Carl". */
function lanes(): string {
  return all("[data-testid=signing-lane]")
    .map((lane) =>
      all<HTMLInputElement>("[data-testid=signer-name]", lane)
        .map((i) => i.value)
        .join(" "),
    )
    .join(" | ");
}

beforeEach(() => {
  localStorage.clear();
  root = document.createElement("div");
  document.body.appendChild(root);
});

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  clearMocks();
});

describe("the casefile editor", () => {
  it("starts a local draft, orders signers with the keyboard and keeps the draft", async () => {
    history.replaceState(null, "", "/#/casefiles");
    // The backend's draft commands keep drafts in this map (the database, for the page).
    const kept = new Map<string, { id: string; draft: unknown; updatedAt: string }>();
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        const p = payload as { draftId?: string; draft?: unknown };
        if (cmd === "save_casefile_draft") {
          const rec = { id: p.draftId!, draft: p.draft, updatedAt: new Date().toISOString() };
          kept.set(rec.id, rec);
          return rec;
        }
        if (cmd === "list_casefile_drafts") return [...kept.values()];
        if (cmd === "delete_casefile_draft") return void kept.delete(p.draftId!);
        return { environment: "demo", signedIn: false, displayName: null, email: null };
      }),
      { shouldMockEvents: true },
    );
    resetCasefileDraftStore();
    app = mount(App, { target: root });
    await settle(6);
    expect(q("[data-testid=page-casefiles]")).toBeTruthy();
    expect(all("[data-testid=status-legend] [data-testid=casefile-status]")).toHaveLength(9);

    q("[data-testid=new-casefile]").click();
    await settle(6);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await settle(6);
    expect(location.hash).toMatch(/^#\/casefiles\/draft\/new-/);
    q("[data-testid=casefile-editor]");
    expect(q("[data-testid=local-draft-badge]").textContent).toContain("Local draft");
    expect(q<HTMLButtonElement>("[data-testid=send-casefile]").disabled).toBe(true);
    // Outside the desktop app (no backend) the editor says why it cannot send.
    expect(q("[data-testid=send-unavailable]").textContent).toContain("desktop app");

    type(q("[data-testid=casefile-title]"), "Engagement letter");
    for (const name of ["Ida", "Bo", "Carl"]) {
      q("[data-testid=add-signer]").click();
      await settle(6);
      const names = all<HTMLInputElement>("[data-testid=signer-name]");
      type(names[names.length - 1]!, name);
    }
    expect(lanes()).toBe("Ida | Bo | Carl");

    // Bo up once: joins Ida's step. Focus stays on Bo's handle.
    const boHandle = () => all("[data-testid=signer-handle]").find((h) => h.getAttribute("aria-label")?.startsWith("Bo"))!;
    boHandle().focus();
    key(boHandle(), "ArrowUp");
    await settle(6);
    expect(lanes()).toBe("Ida Bo | Carl");
    expect(document.activeElement).toBe(boHandle());
    expect(q("[data-testid=lanes-announcement]").textContent).toBe("Bo signs in step 1 of 2, at the same time as Ida.");

    // Move the second step (Carl) first.
    all<HTMLButtonElement>("[data-testid=lane-up]")[1]!.click();
    await settle(6);
    expect(lanes()).toBe("Carl | Ida Bo");

    q<HTMLButtonElement>("[data-testid=lanes-one-after-another]").click();
    await settle(6);
    expect(lanes()).toBe("Carl | Ida | Bo");

    // A bad email is reported next to the field.
    type(all<HTMLInputElement>("[data-testid=signer-email]")[0]!, "carl@");
    await settle(6);
    expect(root.textContent).toContain('"carl@" is not a valid email address.');
    expect(q("[data-testid=casefile-problems]").textContent).toMatch(/things to fix/);

    // The draft is saved in the local database (autosave waits for a pause in typing), and
    // nothing is left behind in the webview's storage.
    await new Promise((r) => setTimeout(r, 1000));
    await settle(6);
    expect([...kept.keys()]).toEqual([location.hash.slice("#/casefiles/draft/".length)]);
    const stored = [...kept.values()][0]!.draft as { title: string; signers: { name: string; signOrder: number }[] };
    expect(stored.title).toBe("Engagement letter");
    expect(stored.signers.map((s) => `${s.name}:${s.signOrder}`)).toEqual(["Ida:1", "Bo:2", "Carl:0"]);
    expect(Object.keys(localStorage).filter((k) => k.startsWith(CASEFILE_DRAFT_PREFIX))).toEqual([]);

    // It is listed on the Casefiles page.
    q("[data-testid=back-to-casefiles]").click();
    location.hash = "#/casefiles";
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await settle(6);
    expect(all("[data-testid=casefile-draft-row]").map((r) => r.textContent)).toEqual([expect.stringContaining("Engagement letter")]);
  }, 20_000);

  it("takes a file once when two drops of it are checked at the same time", async () => {
    // Drops come as the webview's drag-drop events (Tauri gives the paths).
    mockWindows("main");
    mockIPC(() => null, { shouldMockEvents: true });
    (globalThis as { isTauri?: boolean }).isTauri = true;
    const gates: (() => void)[] = [];
    const intake: FileIntake = {
      available: true,
      pick: async () => [],
      check: async (paths) => {
        // Both checks wait until both drops have been made.
        await new Promise<void>((r) => gates.push(r));
        return paths.map((path) => ({
          status: "accepted" as const,
          path,
          fileName: path.split("/").pop()!,
          title: "",
          size: 2048,
          sha256: "x",
          pageCount: 1,
        }));
      },
    };
    try {
      app = mount(CasefileEditor, {
        target: root,
        props: {
          record: { key: "t2", value: emptyDraft(), savedAt: "2026-01-01T00:00:00Z", baseVersion: null },
          intake,
          canSend: true,
          onsend: async () => {},
        },
      });
      await settle(6);
      for (let i = 0; i < 2; i++) {
        await emit("tauri://drag-drop", { paths: ["/tmp/engagement_letter.pdf"], position: { x: 10, y: 10 } });
        await settle(6);
      }
      expect(gates).toHaveLength(2);
      for (const open of gates) open();
      await settle(6);
      expect(all("[data-testid=document-row]").map((r) => r.dataset.name)).toEqual(["engagement_letter.pdf"]);
      expect(q("[data-testid=rejected-files]").textContent).toContain('"engagement_letter.pdf" is already in this casefile');
    } finally {
      delete (globalThis as { isTauri?: boolean }).isTauri;
    }
  });

  it("adds documents through the intake, rejects duplicates and edits rows", async () => {
    const checked: string[][] = [];
    const intake: FileIntake = {
      available: true,
      pick: async () => ["/tmp/engagement_letter.pdf", "/tmp/price-list.pdf", "/tmp/notes.txt"],
      check: async (paths) => {
        checked.push(paths);
        return paths.map((path) => {
          const fileName = path.split("/").pop()!;
          return fileName.endsWith(".pdf")
            ? { status: "accepted" as const, path, fileName, title: "", size: 2048, sha256: "x", pageCount: 2 }
            : { status: "rejected" as const, path, fileName, reason: "notPdf", message: "notes.txt is not a PDF." };
        });
      },
    };
    const sent: CasefileEditorDraft[] = [];
    let refuse: { code: string; message: string; field?: string } | null = null;
    const onsend = async (d: CasefileEditorDraft) => {
      if (refuse) throw refuse;
      sent.push(d);
    };
    const draft = emptyDraft();
    draft.title = "Contract";
    draft.signers = [{ localId: "s1", name: "Ida", email: "ida@example.org", role: "customer", signOrder: 0 }];
    app = mount(CasefileEditor, {
      target: root,
      props: { record: { key: "t1", value: draft, savedAt: "2026-01-01T00:00:00Z", baseVersion: null }, intake, canSend: true, onsend },
    });
    await settle(6);

    q("[data-testid=browse-files]").click();
    await settle(6);
    expect(q("[data-testid=rejected-files]").textContent).toContain("notes.txt is not a PDF.");
    const rows = () => all("[data-testid=document-row]");
    expect(rows().map((r) => r.dataset.name)).toEqual(["engagement_letter.pdf", "price-list.pdf"]);
    expect(all<HTMLInputElement>("[data-testid=document-title]").map((i) => i.value)).toEqual(["Engagement letter", "Price list"]);
    expect(rows()[0]!.textContent).toContain("2 pages");
    // New documents are signed by the roles present.
    expect(all<HTMLInputElement>("[data-testid=document-role]").map((c) => c.checked)).toEqual([true, true]);
    expect(q("[data-testid=casefile-ready]")).toBeTruthy();
    expect(q<HTMLButtonElement>("[data-testid=send-casefile]").disabled).toBe(false);

    // Picking the same files again: rejected by name before the backend is asked.
    q("[data-testid=browse-files]").click();
    await settle(6);
    expect(checked[1]).toEqual(["/tmp/notes.txt"]);
    expect(all("[data-testid=rejected-files] li")).toHaveLength(3);

    // Reorder with the keyboard on the handle.
    key(all("[data-testid=document-handle]")[1]!, "ArrowUp");
    await settle(6);
    expect(rows().map((r) => r.dataset.name)).toEqual(["price-list.pdf", "engagement_letter.pdf"]);

    // Make the first an attachment, untick the role on the other: nothing left to sign.
    all<HTMLInputElement>("[data-testid=document-signable]")[0]!.click();
    await settle(6);
    all<HTMLInputElement>("[data-testid=document-role]")[0]!.click();
    await settle(6);
    expect(root.textContent).toContain("Choose at least one signer role that signs this document.");
    expect(q<HTMLButtonElement>("[data-testid=send-casefile]").disabled).toBe(true);

    // Renaming the signer's role follows on the documents.
    all<HTMLInputElement>("[data-testid=document-role]")[0]!.click();
    await settle(6);
    type(q("[data-testid=signer-role]"), "client");
    await settle(6);
    expect(all<HTMLInputElement>("[data-testid=document-role]").map((c) => `${c.value}:${c.checked}`)).toEqual(["client:true"]);
    expect(q("[data-testid=casefile-ready]")).toBeTruthy();

    // A refusal from the backend is shown under the button; then the send goes through with the
    // documents named like their files, in document order.
    refuse = { code: "invalid_input", message: "price-list.pdf changed on disk.", field: "files[0]" };
    q("[data-testid=send-casefile]").click();
    await settle(6);
    expect(q("[data-testid=send-error]").textContent).toBe("price-list.pdf changed on disk.");
    expect(q("[data-testid=send-error]").dataset.field).toBe("files[0]");
    refuse = null;
    q("[data-testid=send-casefile]").click();
    await settle(6);
    expect(sent).toHaveLength(1);
    const payload = toSendPayload(sent[0]!).caseFile as { documents: { name: string; title: string }[] };
    expect(payload.documents.map((d) => d.name)).toEqual(["price-list.pdf", "engagement_letter.pdf"]);
    expect(root.querySelector("[data-testid=send-error]")).toBeNull();
  });

  it("shows the role rule at the field, fixes the spelling everywhere, and sends contacts only when ticked", async () => {
    const sent: CasefileEditorDraft[] = [];
    const draft = emptyDraft();
    draft.title = "Skøde";
    draft.signers = [
      { localId: "s1", name: "Ida", email: "ida@example.org", role: "Køber", signOrder: 0 },
      { localId: "s2", name: "Bo", email: "bo@example.org", role: "Køber", signOrder: 0 },
      { localId: "s3", name: "Carl", email: "carl@example.org", role: "Sælger", signOrder: 1 },
    ];
    draft.documents = [
      {
        localId: "d1",
        title: "Deed",
        name: "deed.pdf",
        roles: ["Køber", "Sælger"],
        documentOrder: 0,
        source: { path: "/tmp/deed.pdf", fileName: "deed.pdf", size: 10 },
      },
    ];
    app = mount(CasefileEditor, {
      target: root,
      props: {
        record: { key: "t3", value: draft, savedAt: "2026-01-01T00:00:00Z", baseVersion: null },
        canSend: true,
        onsend: async (d: CasefileEditorDraft) => void sent.push(d),
      },
    });
    await settle(6);
    const cards = () => all("[data-testid=signer-card]");
    expect(cards()[0]!.textContent).toContain("Penneo does not allow æ, ø, å");
    expect(q<HTMLButtonElement>("[data-testid=send-casefile]").disabled).toBe(true);
    const fixes = () => all<HTMLButtonElement>("[data-testid=signer-role-fix]");
    expect(fixes().map((b) => b.textContent?.trim())).toEqual(["Use “Koeber” instead", "Use “Koeber” instead", "Use “Saelger” instead"]);

    // One click renames the role on both buyers and on the document.
    fixes()[0]!.click();
    await settle(6);
    expect(all<HTMLInputElement>("[data-testid=signer-role]").map((i) => i.value)).toEqual(["Koeber", "Koeber", "Sælger"]);
    expect(fixes()).toHaveLength(1);
    fixes()[0]!.click();
    await settle(6);
    expect(all<HTMLInputElement>("[data-testid=document-role]").map((c) => `${c.value}:${c.checked}`)).toEqual([
      "Koeber:true",
      "Saelger:true",
    ]);
    expect(root.textContent).not.toContain("does not allow");

    // Ida is saved as a contact and signs with MitID; Bo and the copy recipient are not contacts.
    q<HTMLInputElement>("[data-testid=signer-store-as-contact]", cards()[0]!).click();
    await settle(6);
    q<HTMLInputElement>("[data-testid='signer-secure-mitid.dk']", cards()[0]!).click();
    await settle(6);
    q<HTMLSelectElement>("[data-testid=signer-ssn-type]", cards()[1]!).value = "microsoft:oidc";
    q<HTMLSelectElement>("[data-testid=signer-ssn-type]", cards()[1]!).dispatchEvent(new Event("change", { bubbles: true }));
    await settle(6);
    type(q<HTMLInputElement>("[data-testid=signer-vatin]", cards()[1]!), "DK12345678");
    q("[data-testid=add-cc]").click();
    await settle(6);
    type(all<HTMLInputElement>("[data-testid=cc-recipient] input")[0]!, "Legal");
    type(q<HTMLInputElement>("[data-testid=cc-email]"), "legal@example.org");
    await settle(6);
    expect(q<HTMLInputElement>("[data-testid=cc-store-as-contact]").checked).toBe(false);
    q("[data-testid=send-casefile]").click();
    await settle(6);
    expect(sent).toHaveLength(1);
    const payload = toSendPayload(sent[0]!).caseFile as {
      signers: Record<string, unknown>[];
      ccRecipients: Record<string, unknown>[];
      documents: { roles: string[] }[];
    };
    const by = (n: string) => payload.signers.find((x) => x.name === n)!;
    expect(by("Ida")).toMatchObject({ role: "Koeber", storeAsContact: true, secureSigningMethods: ["mitid.dk"] });
    expect(by("Bo")).toMatchObject({ role: "Koeber", storeAsContact: false, ssnType: "microsoft:oidc", vatin: "DK12345678" });
    expect(by("Carl")).toMatchObject({ role: "Saelger", storeAsContact: false });
    expect(payload.ccRecipients).toEqual([{ name: "Legal", email: "legal@example.org", storeAsContact: false }]);
    expect(payload.documents[0]!.roles).toEqual(["Koeber", "Saelger"]);
  });

  it("says which document has no file when it cannot be sent", async () => {
    const draft = emptyDraft();
    draft.title = "Old draft";
    draft.signers = [{ localId: "s1", name: "Ida", email: "ida@example.org", role: "", signOrder: 0 }];
    draft.documents = [{ localId: "d1", title: "Letter", name: "letter.pdf", signable: true, roles: [], documentOrder: 0 }];
    app = mount(CasefileEditor, {
      target: root,
      props: {
        record: { key: "t2", value: draft, savedAt: "2026-01-01T00:00:00Z", baseVersion: null },
        canSend: true,
        onsend: async () => {},
      },
    });
    await settle(6);
    expect(root.textContent).toContain('"letter.pdf" has no file on this computer: remove it and add the PDF again.');
    expect(q<HTMLButtonElement>("[data-testid=send-casefile]").disabled).toBe(true);
  });
  it("asks the confirmation first: a No sends nothing, a Yes sends", async () => {
    const sent: CasefileEditorDraft[] = [];
    const asked: string[] = [];
    let answer = false;
    const draft = emptyDraft();
    draft.title = "Engagement letter";
    draft.signers = [{ localId: "s1", name: "Ida", email: "ida@example.org", role: "Client", signOrder: 0 }];
    draft.documents = [
      {
        localId: "d1",
        title: "Letter",
        name: "letter.pdf",
        roles: ["Client"],
        documentOrder: 0,
        source: { path: "/tmp/letter.pdf", fileName: "letter.pdf", size: 10 },
      },
    ];
    app = mount(CasefileEditor, {
      target: root,
      props: {
        record: { key: "t4", value: draft, savedAt: "2026-01-01T00:00:00Z", baseVersion: null },
        canSend: true,
        onsend: async (d: CasefileEditorDraft) => void sent.push(d),
        confirm: async (d: CasefileEditorDraft) => {
          asked.push(d.title);
          return answer;
        },
      },
    });
    await settle(6);
    q("[data-testid=send-casefile]").click();
    await settle(6);
    expect(asked).toEqual(["Engagement letter"]);
    expect(sent).toHaveLength(0);
    answer = true;
    q("[data-testid=send-casefile]").click();
    await settle(6);
    expect(asked).toHaveLength(2);
    expect(sent.map((d) => d.title)).toEqual(["Engagement letter"]);
  });
});
