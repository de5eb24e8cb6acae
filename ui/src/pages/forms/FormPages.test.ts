// @vitest-environment jsdom
// The forms pages over the backend (mockIPC on an in-memory model of the forms commands): open a
// form in the builder, save an ACTIVE form (it says first that a new DRAFT version is made), a 400
// placed beside the field at fault, the versions panel's actions and comparison, the list's
// duplicate and archive, and a prefilled request's body.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "../../App.svelte";
import { FakeFormsBackend } from "../../lib/forms/fakeBackend.test-helpers";
import { onboardingForm } from "../../lib/forms/fixtures.test-helpers";
import { setLanguage } from "../../lib/i18n.svelte";
import { settle } from "../../lib/testing/settle";

let app: ReturnType<typeof mount> | null = null;
let root: HTMLElement;
let fake: FakeFormsBackend;
let formId: string;

function q<T extends HTMLElement = HTMLElement>(selector: string, within: ParentNode = root): T {
  const el = within.querySelector<T>(selector);
  if (!el) throw new Error(`nothing matches ${selector}`);
  return el;
}

function type(el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
}

async function go(hash: string) {
  location.hash = hash;
  window.dispatchEvent(new HashChangeEvent("hashchange"));
  await settle();
}

beforeEach(async () => {
  localStorage.clear();
  fake = new FakeFormsBackend();
  formId = fake.addForm(onboardingForm(), "ACTIVE");
  history.replaceState(null, "", "/#/forms");
  mockIPC((cmd, payload) => fake.handle(cmd, payload), { shouldMockEvents: true });
  root = document.createElement("div");
  document.body.appendChild(root);
  app = mount(App, { target: root });
  await settle();
});

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  clearMocks();
});

describe("a Penneo form in the builder", () => {
  it("opens from the list, says that saving an ACTIVE form makes a new DRAFT version, and saves", async () => {
    q("[data-testid=open-form]").click();
    await settle();
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await settle();
    expect(fake.callsOf("get_form")).toContainEqual({ formId, refresh: true });
    q("[data-testid=form-builder]");
    expect(q("[data-testid=penneo-state]").textContent).toContain("No changes since");
    expect(q<HTMLButtonElement>("[data-testid=save-form]").disabled).toBe(true);

    type(q<HTMLInputElement>("[data-testid=form-name]"), "Client onboarding 2027");
    expect(q("[data-testid=penneo-state]").textContent).toContain("Changes not yet saved to Penneo");
    q("[data-testid=save-form]").click();
    flushSync();
    // Nothing sent before the user has read what will happen.
    expect(fake.callsOf("update_form")).toHaveLength(0);
    expect(q("[data-testid=confirm-save]").textContent).toContain(
      "Saving creates version 2 as a DRAFT. Clients keep getting version 1 until you publish version 2.",
    );
    q("[data-testid=confirm-save-yes]").click();
    await settle();
    const sent = fake.callsOf("update_form");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ formId, publish: false });
    expect((sent[0]!.definition as { name: string }).name).toBe("Client onboarding 2027");
    // Server keys are not sent back as part of the definition.
    expect(sent[0]!.definition).not.toHaveProperty("activeVersion");
    expect(q("[data-testid=form-notice]").textContent).toContain("Saved to Penneo as version 2 (draft)");
    expect(q("[data-testid=form-page-status]").textContent).toBe("Draft");
    // The local draft is gone once Penneo has the change.
    expect(fake.drafts.size).toBe(0);
  });

  it("shows a 400 from Penneo next to the field at fault", async () => {
    await go(`#/forms/form/${formId}`);
    type(q<HTMLInputElement>("[data-testid=form-name]"), "Changed");
    fake.failNext = { code: "invalid_input", message: "Section 'contact', field 'email': mapTo primarySigner.name requires a TEXT field" };
    q("[data-testid=save-form]").click();
    flushSync();
    q("[data-testid=confirm-save-yes]").click();
    await settle();
    expect(q("[data-testid=save-error]").textContent).toContain("Penneo did not accept the form");
    const emailField = Array.from(root.querySelectorAll<HTMLElement>("[data-testid=builder-field]")).find(
      (f) => f.querySelector<HTMLInputElement>("input.mono")?.value === "email",
    )!;
    expect(emailField.textContent).toContain("mapTo primarySigner.name requires a TEXT field");
  });

  it("offers unsaved changes kept on this computer when the form is opened again", async () => {
    fake.drafts.set(`form:${formId}`, {
      id: `form:${formId}`,
      formId,
      baseVersion: 1,
      definition: { ...onboardingForm(), name: "Half-finished edit" } as never,
      updatedAt: "2026-11-25T09:00:00Z",
    });
    await go(`#/forms/form/${formId}`);
    expect(q("[data-testid=draft-offer]").textContent).toContain("You have unsaved changes to this form");
    q("[data-testid=draft-offer-keep]").click();
    await settle();
    expect(q<HTMLInputElement>("[data-testid=form-name]").value).toBe("Half-finished edit");
  });
});

describe("an archived form", () => {
  it("takes no save and points to restoring a version", async () => {
    fake.handle("archive_form", { formId });
    await go(`#/forms/form/${formId}`);
    type(q<HTMLInputElement>("[data-testid=form-name]"), "Edited anyway");
    expect(q<HTMLButtonElement>("[data-testid=save-form]").disabled).toBe(true);
    expect(q<HTMLButtonElement>("[data-testid=publish-form]").disabled).toBe(true);
    expect(q("[data-testid=form-archived-note]").textContent).toContain("Restore a version");
    // The edit itself is still kept on this computer.
    await settle();
    await new Promise((r) => setTimeout(r, 900));
    await settle();
    expect(fake.drafts.has(`form:${formId}`)).toBe(true);
  });
});

describe("versions", () => {
  it("lists versions, runs an action after stating its effect, and compares two versions", async () => {
    // v1 ARCHIVED, v2 ACTIVE (with a changed name).
    fake.handle("update_form", { formId, definition: { ...onboardingForm(), name: "Renamed" }, publish: true });
    await go(`#/forms/form/${formId}/versions`);
    const rows = () => Array.from(root.querySelectorAll<HTMLElement>("[data-testid=version-row]"));
    expect(rows().map((r) => `${r.dataset.version}:${r.dataset.status}`)).toEqual(["2:ACTIVE", "1:ARCHIVED"]);

    q("[data-testid=version-restore]", rows()[1]!).click();
    flushSync();
    expect(q("[data-testid=version-confirm]").textContent).toContain("Makes version 3, a new DRAFT with the content of version 1");
    expect(fake.callsOf("restore_form_version")).toHaveLength(0);
    q("[data-testid=version-confirm-yes]").click();
    await settle();
    expect(fake.callsOf("restore_form_version")).toEqual([{ formId, version: 1 }]);
    expect(rows().map((r) => `${r.dataset.version}:${r.dataset.status}`)).toEqual(["3:DRAFT", "2:ACTIVE", "1:ARCHIVED"]);
    expect(q("[data-testid=form-notice]").textContent).toContain("Version 3 is a new draft made from version 1");

    type(q<HTMLSelectElement>("[data-testid=compare-left]"), "1");
    type(q<HTMLSelectElement>("[data-testid=compare-right]"), "2");
    q("[data-testid=compare-versions]").click();
    await settle();
    const diff = q("[data-testid=version-diff]");
    expect(q("[data-testid=version-diff-summary]").textContent?.trim()).toBe("Form settings changed.");
    expect(diff.textContent).toContain("Renamed");
    type(q<HTMLSelectElement>("[data-testid=compare-right]"), "3");
    await settle();
    // Until Compare is pressed again, the comparison shown still names the pair it is of.
    expect(q("[data-testid=version-diff]").textContent).toContain("Version 2");
    expect(q("[data-testid=version-diff]").textContent).not.toContain("Version 3");
    q("[data-testid=compare-versions]").click();
    await settle();
    expect(q("[data-testid=version-diff]").textContent).toContain("No differences between Version 1 and Version 3.");
  });
});

describe("the list", () => {
  it("duplicates a form as a DRAFT copy and archives with a confirmation that submissions are kept", async () => {
    await go("#/forms");
    // The row's actions are in its menu.
    q("[data-testid=row-menu]").click();
    flushSync();
    expect(q("[data-testid=row-menu]").getAttribute("aria-expanded")).toBe("true");
    q("[data-testid=duplicate-form]").click();
    await settle();
    const created = fake.callsOf("create_form");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ publish: false });
    expect((created[0]!.definition as { name: string }).name).toBe("Copy of Client onboarding (KYC)");
    expect(q("[data-testid=forms-action-note]").textContent).toContain('"Copy of Client onboarding (KYC)" is created as a new draft.');

    q("[data-testid=row-menu]").click();
    flushSync();
    q("[data-testid=archive-form]").click();
    flushSync();
    expect(q("[data-testid=archive-confirm]").textContent).toMatch(/submissions are\s+kept/);
    expect(fake.callsOf("archive_form")).toHaveLength(0);
    q("[data-testid=archive-confirm-yes]").click();
    await settle();
    expect(fake.callsOf("archive_form")).toHaveLength(1);
  });
});

describe("a draft on this computer", () => {
  it("opens with Open; Delete is in the row's menu and asks first", async () => {
    fake.drafts.set("new:abc", {
      id: "new:abc",
      formId: null,
      baseVersion: null,
      definition: onboardingForm(),
      updatedAt: "2026-11-25T09:00:00Z",
    });
    await go("#/settings"); // the list reads the drafts again when it is shown
    await go("#/forms");
    const row = q("[data-testid=local-drafts] tbody tr");
    const open = Array.from(row.querySelectorAll<HTMLAnchorElement>("a.btn")).find((a) => a.textContent?.trim() === "Open")!;
    expect(open.getAttribute("href")).toBe(row.querySelector("td a")!.getAttribute("href"));
    expect(row.querySelectorAll(".btn")).toHaveLength(2);
    q("[data-testid=form-draft-menu]", row).click();
    flushSync();
    q("[data-testid=delete-form-draft]", row).click();
    await settle();
    expect(q("[role=alertdialog]").textContent).toContain("Delete this draft?");
    expect(fake.callsOf("delete_form_draft")).toHaveLength(0);
    Array.from(q("[role=alertdialog]").querySelectorAll<HTMLButtonElement>("button.btn-danger"))[0]!.click();
    await settle();
    expect(fake.callsOf("delete_form_draft")).toEqual([{ draftId: "new:abc" }]);
    expect(root.querySelector("[data-testid=local-drafts]")).toBeNull();
  });
});

describe("a new form", () => {
  async function newForm(): Promise<{ language: string; select: HTMLSelectElement }> {
    await go("#/forms");
    q("[data-testid=new-form]").click();
    await settle();
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await settle();
    q("[data-testid=form-builder]");
    const saved = [...fake.drafts.values()].filter((d) => !d.formId);
    expect(saved).toHaveLength(1);
    const label = Array.from(root.querySelectorAll("label")).find((l) => /^(Language|Sprog)$/.test(l.textContent?.trim() ?? ""));
    const select = document.getElementById(label!.htmlFor) as HTMLSelectElement;
    return { language: String(saved[0]!.definition.language), select };
  }

  it("is in English when the UI is", async () => {
    const { language, select } = await newForm();
    expect(language).toBe("EN");
    expect(select.value).toBe("EN");
    expect(select.selectedOptions[0]?.textContent).toBe("English");
  });

  it("takes the UI's language: Danish staff start a Danish form", async () => {
    setLanguage("da");
    try {
      const { language, select } = await newForm();
      expect(language).toBe("DA");
      expect(select.value).toBe("DA");
      expect(select.selectedOptions[0]?.textContent).toBe("Dansk");
    } finally {
      setLanguage("system");
    }
  });
});

describe("the list's reads", () => {
  it("shows the answer to the newest search when an older read answers last", async () => {
    await go("#/forms");
    let releaseOld: (() => void) | null = null;
    clearMocks();
    mockIPC(
      async (cmd, payload) => {
        if (cmd !== "list_forms") return fake.handle(cmd, payload);
        const search = ((payload as { query: { search: string | null } }).query.search ?? "").toLowerCase();
        const all = fake.handle(cmd, payload) as { result: { name: string }[] };
        // The read for "zz" (nothing matches) is slow: it answers after the next one.
        if (search === "zz") await new Promise<void>((r) => (releaseOld = r));
        return { result: all.result.filter((f) => f.name.toLowerCase().includes(search)), nextCursor: null };
      },
      { shouldMockEvents: true },
    );
    const rows = () => root.querySelectorAll("[data-testid=server-form-row]").length;
    type(q("[data-testid=forms-search]"), "zz");
    await settle();
    type(q("[data-testid=forms-search]"), "onboarding");
    await settle();
    expect(rows()).toBe(1);
    expect(releaseOld).not.toBeNull();
    releaseOld!();
    await settle();
    expect(rows()).toBe(1);
    expect(q<HTMLInputElement>("[data-testid=forms-search]").value).toBe("onboarding");
  });
});

describe("prefilled requests", () => {
  it("builds the request from values and locks, refusing bad values beside the field", async () => {
    await go(`#/forms/form/${formId}/requests`);
    const opener = q<HTMLButtonElement>("[data-testid=new-prefilled-request]");
    opener.focus();
    opener.click();
    await settle();
    const dialog = q("[data-testid=prefill-dialog]");
    // The app's dialog: a native modal <dialog> named by its title, the first field focused.
    expect(dialog.tagName).toBe("DIALOG");
    expect(document.getElementById(dialog.getAttribute("aria-labelledby")!)?.textContent).toBe("New prefilled request");
    expect(document.activeElement).toBe(q("[data-testid=prefill-label]", dialog));
    const input = (name: string, i = 0) =>
      dialog
        .querySelectorAll<HTMLElement>(`[data-testid=prefill-field][data-name=${name}]`)
        .item(i)
        .querySelector<HTMLInputElement>("input,select")!;
    const lock = (name: string) => q<HTMLInputElement>(`[data-testid=prefill-field][data-name=${name}] [data-testid=prefill-lock]`, dialog);

    type(input("full_name"), "Ada Lovelace");
    lock("full_name").click();
    flushSync();
    type(input("email"), "ada@");
    q("[data-testid=prefill-create]").click();
    await settle();
    expect(fake.callsOf("create_prefilled_request")).toHaveLength(0);
    expect(dialog.textContent).toContain("Enter an email address");

    // Escape with values entered asks before dropping them.
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    flushSync();
    expect(q("[data-testid=prefill-leave]").textContent).toContain("The values entered are dropped");
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    flushSync();
    expect(root.querySelector("[data-testid=prefill-leave]")).toBeNull();
    expect(root.querySelector("[data-testid=prefill-dialog]")).not.toBeNull();

    type(input("email"), "ada@example.com");
    q("[data-testid=prefill-add-entry]", dialog).click();
    flushSync();
    type(input("owner_name", 0), "Ada");
    type(input("owner_name", 1), "Charles");
    type(q<HTMLInputElement>("[data-testid=prefill-label]", dialog), "Ada's onboarding");
    q("[data-testid=prefill-create]").click();
    await settle();
    const sent = fake.callsOf("create_prefilled_request");
    expect(sent).toEqual([
      {
        formId,
        label: "Ada's onboarding",
        request: {
          answers: {
            contact: [{ full_name: { value: "Ada Lovelace", editable: false }, email: { value: "ada@example.com", editable: true } }],
            owners: [{ owner_name: { value: "Ada", editable: true } }, { owner_name: { value: "Charles", editable: true } }],
          },
        },
      },
    ]);
    expect(q<HTMLInputElement>("[data-testid=prefill-url]").value).toBe("http://127.0.0.1:9/r/req-1");
    q("[data-testid=prefill-done]").click();
    await settle();
    // Gone, with the focus back on the button that opened it.
    expect(root.querySelector("[data-testid=prefill-dialog]")).toBeNull();
    expect(document.activeElement).toBe(opener);
    const row = q("[data-testid=request-row]");
    expect(row.textContent).toContain("Ada's onboarding");
    expect(row.textContent).toContain("Waiting for the client");
  });
});
