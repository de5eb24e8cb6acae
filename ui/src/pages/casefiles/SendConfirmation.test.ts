// @vitest-environment jsdom
// The send confirmation in a DOM: it names the account and environment, every signer with e-mail
// and signing step, the copies and the documents; production is marked and, when the user asked
// for it, confirmed a second time.
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { AccountStatus } from "../../lib/backend";
import { emptyDraft, type CasefileEditorDraft } from "../../lib/casefiles/editorDraft";
import SendConfirmation from "./SendConfirmation.svelte";

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
});

function draft(): CasefileEditorDraft {
  const d = emptyDraft();
  d.title = "Årsrapport 2026";
  d.signers = [
    { localId: "s1", name: "Ida Holm", email: "ida@nordlys.example", role: "Client", signOrder: 0 },
    { localId: "s2", name: "Bo Lind", email: "bo@practice.example", role: "Partner", signOrder: 1 },
    { localId: "s3", name: "Carl Berg", email: "carl@nordlys.example", role: "Client", signOrder: 0 },
  ];
  d.ccRecipients = [{ name: "Legal", email: "legal@practice.example" }];
  d.documents = [
    { localId: "d1", title: "Annual report", name: "annual-report.pdf", roles: ["Client", "Partner"], documentOrder: 0 },
    { localId: "d2", title: "Terms", name: "terms.pdf", signable: false, documentOrder: 1 },
  ];
  return d;
}

function status(environment: AccountStatus["environment"]): AccountStatus {
  return { accountId: "a1", environment, signedIn: true, displayName: "Anna Jensen", email: "anna@practice.example", apiHost: null };
}

function render(environment: AccountStatus["environment"], askTwice = false) {
  const answers: string[] = [];
  const target = document.createElement("div");
  document.body.appendChild(target);
  app = mount(SendConfirmation, {
    target,
    props: {
      draft: draft(),
      status: status(environment),
      askTwice,
      onconfirm: () => answers.push("send"),
      oncancel: () => answers.push("cancel"),
    },
  });
  flushSync();
  const q = (sel: string) => {
    const el = target.querySelector<HTMLElement>(sel);
    if (!el) throw new Error(`nothing matches ${sel}`);
    return el;
  };
  const texts = (sel: string) =>
    Array.from(target.querySelectorAll<HTMLElement>(sel)).map((e) => e.textContent!.replace(/\s+/g, " ").trim());
  return { answers, q, texts };
}

describe("the send confirmation", () => {
  it("names the account, every signer with e-mail and step, the copies and the documents", () => {
    const { answers, q, texts } = render("sandbox");
    expect(q("[data-testid=send-confirmation]").dataset.environment).toBe("sandbox");
    expect(q("[data-testid=confirm-environment]").textContent).toBe("Sandbox");
    expect(q("[data-testid=confirm-account]").textContent).toContain("Anna Jensen (anna@practice.example)");
    expect(texts("[data-testid=confirm-signer]")).toEqual([
      "Ida Holm ida@nordlys.example Client · Step 1 of 2",
      "Carl Berg carl@nordlys.example Client · Step 1 of 2",
      "Bo Lind bo@practice.example Partner · Step 2 of 2",
    ]);
    expect(texts("[data-testid=confirm-copy]")).toEqual(["Legal legal@practice.example Gets a copy"]);
    expect(texts("[data-testid=confirm-document]")).toEqual(["Annual report signed by Client, Partner", "Terms attachment, not signed"]);
    q("[data-testid=confirm-cancel]").click();
    q("[data-testid=confirm-send]").click();
    expect(answers).toEqual(["cancel", "send"]);
  });

  it("marks production, and asks once more only when the user turned that on", () => {
    let r = render("production");
    expect(r.q("[data-testid=send-confirmation]").classList.contains("production")).toBe(true);
    expect(r.q("[data-testid=confirm-send]").textContent).toBe("Send on production");
    r.q("[data-testid=confirm-send]").click();
    expect(r.answers).toEqual(["send"]);
    void unmount(app!);
    document.body.innerHTML = "";

    r = render("production", true);
    r.q("[data-testid=confirm-send]").click();
    flushSync();
    expect(r.answers).toEqual([]);
    expect(r.q("[data-testid=send-confirmation]").dataset.stage).toBe("again");
    expect(r.q("[data-testid=confirm-again]").textContent).toContain("3 signers get a real e-mail");
    r.q("[data-testid=confirm-send-again]").click();
    expect(r.answers).toEqual(["send"]);
  });

  it("asks only once on the demo and the sandbox, whatever the setting", () => {
    const { answers, q } = render("demo", true);
    expect(q("[data-testid=send-confirmation]").classList.contains("production")).toBe(false);
    q("[data-testid=confirm-send]").click();
    expect(answers).toEqual(["send"]);
  });
});
