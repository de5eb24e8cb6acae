// @vitest-environment jsdom
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../../lib/i18n.svelte";
import type { CasefileRecord } from "../../lib/casefiles/records";
import CasefileDetail from "./CasefileDetail.svelte";

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  setLanguage("system");
});

describe("the casefile detail in Danish", () => {
  it("words statuses, headings and dates the Danish way, and follows a switch back to English", () => {
    setLanguage("da");
    const casefile: CasefileRecord = {
      casefileId: 7,
      title: "Opdragsbekræftelse",
      reference: null,
      status: 5,
      // Noon UTC: the same calendar day in every time zone the tests may run in.
      createdAt: "2026-10-26T12:00:00Z",
      completedAt: "2026-10-27T12:00:00Z",
      signers: [{ signerId: 1, name: "Ida", email: "ida@x.dk", status: "signed", statusCode: 4, signingOrder: 0 }],
      documents: [
        { documentId: 11, title: "Brev", docType: "signable", docOrder: 0 },
        { documentId: 12, title: "Vilkår", docType: "attachment", docOrder: 1 },
      ],
    };
    const el = document.createElement("div");
    document.body.appendChild(el);
    app = mount(CasefileDetail, { target: el, props: { casefile } });
    flushSync();

    expect(el.querySelector("[data-testid=casefile-status]")?.textContent).toBe("Afsluttet");
    expect(el.querySelector("[data-testid=signer-status]")?.textContent).toBe("Underskrevet");
    expect(el.querySelector("[data-testid=casefile-next]")?.textContent).toBe(
      "Færdig. De underskrevne dokumenter er klar til at blive hentet.",
    );
    expect(Array.from(el.querySelectorAll("h3")).map((h) => h.textContent)).toEqual(["Underskrivere", "Dokumenter"]);
    expect(el.textContent).toContain("Bilag");
    const dates = Array.from(el.querySelectorAll(".dates dt, .dates dd")).map((x) => x.textContent ?? "");
    expect(dates[0]).toBe("Oprettet");
    // Danish dates: day.month.year with dots (26.10.2026), time with a dot (hh.mm).
    expect(dates[1]).toMatch(/^26\.10\.2026 \d{2}\.\d{2}$/);
    expect(dates[2]).toBe("Afsluttet");
    expect(dates[3]).toMatch(/^27\.10\.2026 /);

    setLanguage("en");
    flushSync();
    expect(el.querySelector("[data-testid=casefile-status]")?.textContent).toBe("Completed");
    expect(el.querySelector(".dates dd")?.textContent).toMatch(/^26\/10\/2026 \d{2}:\d{2}$/);
  });
});
