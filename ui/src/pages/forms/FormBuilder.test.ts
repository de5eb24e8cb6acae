// @vitest-environment jsdom
// The forms builder in a DOM: start a new form, build a section with fields, see names derived,
// problems shown, the preview follow, and the draft kept on this computer.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "../../App.svelte";
import { FakeFormsBackend } from "../../lib/forms/fakeBackend.test-helpers";
import { settle } from "../../lib/testing/settle";

let app: ReturnType<typeof mount> | null = null;
let fake: FakeFormsBackend;
let root: HTMLElement;

function q<T extends HTMLElement = HTMLElement>(selector: string, within: ParentNode = root): T {
  const el = within.querySelector<T>(selector);
  if (!el) throw new Error(`nothing matches ${selector}`);
  return el;
}

function labelled<T extends HTMLElement = HTMLInputElement>(text: string, within: ParentNode = root): T {
  const label = Array.from(within.querySelectorAll("label")).find((l) => l.textContent?.trim() === text);
  if (!label) throw new Error(`no label "${text}"`);
  const id = label.getAttribute("for");
  const target = id ? document.getElementById(id) : label.querySelector("input,select,textarea");
  if (!target) throw new Error(`label "${text}" labels nothing`);
  return target as T;
}

function button(text: string, within: ParentNode = root): HTMLButtonElement {
  const b = Array.from(within.querySelectorAll("button")).find((x) => x.textContent?.trim() === text);
  if (!b) throw new Error(`no button "${text}"`);
  return b;
}

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

function choose(el: HTMLSelectElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
}

beforeEach(async () => {
  localStorage.clear();
  history.replaceState(null, "", "/#/forms");
  fake = new FakeFormsBackend();
  mockIPC(
    (cmd, payload) =>
      cmd === "account_status" ? { environment: "demo", signedIn: false, displayName: null, email: null } : fake.handle(cmd, payload),
    { shouldMockEvents: true },
  );
  root = document.createElement("div");
  document.body.appendChild(root);
  app = mount(App, { target: root });
  await settle(6);
});

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  clearMocks();
});

async function go(hash: string) {
  location.hash = hash;
  window.dispatchEvent(new HashChangeEvent("hashchange"));
  await settle(6);
}

describe("the forms builder", () => {
  it("builds a form, derives names, shows problems and the preview, and keeps the draft", async () => {
    q("[data-testid=new-form]").click();
    await settle(6);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await settle(6);
    expect(location.hash.startsWith("#/forms/draft/new%3A")).toBe(true);
    q("[data-testid=form-builder]");

    // An empty form: a name is required.
    expect(q("[data-testid=builder-problems]").textContent).toContain("1 problem");
    type(q<HTMLInputElement>("[data-testid=form-name]"), "Client onboarding");
    expect(q("[data-testid=builder-problems]").textContent).not.toContain("problem");

    q("[data-testid=add-section]").click();
    await settle(6);
    const section = q("[data-testid=builder-section]");
    type(labelled("Title", section), "Contact person");
    expect(labelled<HTMLInputElement>("Section key", section).value).toBe("contact-person");

    button("Add field", section).click();
    flushSync();
    const field = q("[data-testid=builder-field]", section);
    type(labelled("Label", field), "Full name");
    expect(labelled<HTMLInputElement>("Name", field).value).toBe("full_name");

    // A second field with the same label gets a unique name.
    button("Add field", section).click();
    flushSync();
    const second = section.querySelectorAll<HTMLElement>("[data-testid=builder-field]")[1]!;
    type(labelled("Label", second), "Full name");
    expect(labelled<HTMLInputElement>("Name", second).value).toBe("full_name_2");

    // Typing a taken name is refused as you type, with the reason.
    type(labelled("Name", second), "full_name");
    expect(second.textContent).toContain('Another field is already named "full_name"');
    type(labelled("Name", second), "Bad-Name");
    expect(second.textContent).toContain("must start with a lower-case letter");
    type(labelled("Name", second), "nickname");
    expect(second.textContent).not.toContain("must start");

    // Make it a choice; the preview shows its options.
    choose(labelled<HTMLSelectElement>("Type", second), "CHOICE");
    const preview = q("[data-testid=form-preview]");
    expect(preview.textContent).toContain("Contact person");
    expect(preview.textContent).toContain("Full name");
    expect(preview.textContent).toContain("Yes");

    // A condition on the first field is impossible (nothing earlier); on the second it offers the first.
    expect(field.textContent).toContain("A condition can only look at fields that come earlier");
    button("Show only when…", second).click();
    flushSync();
    const ruleField = second.querySelector<HTMLSelectElement>("[data-testid=condition-editor] select")!;
    expect(Array.from(ruleField.options).map((o) => o.value)).toEqual(["full_name"]);

    // The preview applies it: hidden until the full name is "Ada".
    const valueInput = second.querySelector<HTMLInputElement>("[data-testid=condition-editor] input")!;
    type(valueInput, "Ada");
    expect(preview.textContent).not.toContain("Yes");
    const nameInput = labelled<HTMLInputElement>("Full name", preview);
    type(nameInput, "Ada");
    expect(preview.textContent).toContain("Yes");

    // Leaving the builder keeps the draft; the list shows it.
    await go("#/forms");
    const drafts = q("[data-testid=local-drafts]");
    expect(drafts.textContent).toContain("Client onboarding");
    // Kept in the app's database (save_form_draft), not in the webview's storage.
    const stored = [...fake.drafts.values()];
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id.startsWith("new:")).toBe(true);
    expect(stored[0]!.formId).toBeNull();
    expect(Object.keys(localStorage).filter((k) => k.startsWith("penneo-desk.draft."))).toHaveLength(0);
    const saved = { value: stored[0]!.definition };
    expect(saved.value.sections[0]!.fields.map((f) => f.name)).toEqual(["full_name", "nickname"]);
    expect(saved.value.sections[0]!.fields[1]!.condition).toEqual({
      rules: [{ field: "full_name", operator: "EQUALS", value: "Ada" }],
    });
  });

  it("deletes a section with undo", async () => {
    q("[data-testid=new-form]").click();
    await settle(6);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await settle(6);
    q("[data-testid=add-section]").click();
    await settle(6);
    type(labelled("Title", q("[data-testid=builder-section]")), "Owners");
    button("Delete section").click();
    flushSync();
    expect(root.querySelector("[data-testid=builder-section]")).toBeNull();
    expect(root.textContent).toContain('Section "Owners" deleted.');
    button("Undo").click();
    flushSync();
    expect(labelled<HTMLInputElement>("Title", q("[data-testid=builder-section]")).value).toBe("Owners");

    // The changes since the draft was opened: one section added.
    q("[data-testid=toggle-changes]").click();
    flushSync();
    const diff = q("[data-testid=version-diff]");
    expect(diff.textContent).toContain("Sections: 1 added.");
    expect(diff.textContent).toContain("Owners");
  });

  it("reorders sections and moves fields by dragging with the pointer", async () => {
    q("[data-testid=new-form]").click();
    await settle(6);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await settle(6);
    for (const title of ["First", "Second"]) {
      q("[data-testid=add-section]").click();
      await settle(6);
      const all = root.querySelectorAll<HTMLElement>("[data-testid=builder-section]");
      type(labelled("Title", all[all.length - 1]!), title);
    }
    const sections = () => Array.from(root.querySelectorAll<HTMLElement>("[data-testid=builder-section]"));
    const titles = () => sections().map((s) => labelled<HTMLInputElement>("Title", s).value);
    // jsdom lays nothing out: section i stands at 100·i to 100·i + 90 px.
    const place = () =>
      sections().forEach((s, i) => {
        s.getBoundingClientRect = () => ({ top: i * 100, bottom: i * 100 + 90, left: 0, right: 500, width: 500, height: 90 }) as DOMRect;
      });
    // A drag with pointer events (what the window gets from a mouse), as lib/reorder.ts reads it.
    const drag = (handle: Element, fromY: number, toY: number) => {
      const at = (type: string, y: number) =>
        handle.dispatchEvent(
          new PointerEvent(type, { bubbles: true, cancelable: true, clientX: 5, clientY: y, pointerId: 1, isPrimary: true }),
        );
      at("pointerdown", fromY);
      at("pointermove", fromY + (toY > fromY ? 10 : -10));
      at("pointermove", toY);
      at("pointerup", toY);
      flushSync();
    };

    // Drag "Second" by its handle above "First".
    place();
    drag(sections()[1]!.querySelector("[data-section-handle]")!, 105, 10);
    expect(titles()).toEqual(["Second", "First"]);
    expect(document.querySelector("[data-testid=reorder-announcement]")?.textContent).toBe("Section moved to position 1 of 2.");

    // A field dragged into another section (an empty one) lands there.
    button("Add field", sections()[0]!).click();
    flushSync();
    type(labelled("Label", q("[data-testid=builder-field]", sections()[0]!)), "Moving");
    place();
    drag(q(".grip", sections()[0]!), 20, 150);
    expect(sections()[0]!.querySelectorAll("[data-testid=builder-field]")).toHaveLength(0);
    expect(labelled<HTMLInputElement>("Label", q("[data-testid=builder-field]", sections()[1]!)).value).toBe("Moving");
  });
});
