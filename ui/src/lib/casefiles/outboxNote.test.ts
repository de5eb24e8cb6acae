import { afterEach, describe, expect, it } from "vitest";
import type { OutboxNote } from "../bindings";
import { setLanguage } from "../i18n.svelte";
import { outboxNoteText } from "./outboxNote";

afterEach(() => setLanguage("system"));

const changed: OutboxNote = { code: "file_changed", fileName: "engagement.pdf" };
const refusedWithWords: OutboxNote = {
  code: "not_accepted",
  error: {
    code: "invalid_input",
    message: "Signer 2 has no e-mail address",
    field: "signers[1].email",
    params: { penneoMessage: "Signer 2 has no e-mail address" },
  },
};
const forbidden: OutboxNote = { code: "not_accepted", error: { code: "forbidden", message: "Your Penneo account may not do this." } };
const penneoDown: OutboxNote = {
  code: "will_retry",
  error: {
    code: "server",
    message: "Penneo had a problem (503): Scheduled maintenance",
    params: { status: 503, penneoMessage: "Scheduled maintenance" },
  },
};
const slowDown: OutboxNote = {
  code: "will_retry",
  error: {
    code: "rate_limited",
    message: "Penneo is receiving too many requests; try again in 30 seconds",
    params: { retryAfterSecs: 30 },
  },
};
const failed: OutboxNote = { code: "job_failed", penneoMessage: "Document 1 is not a valid PDF" };

describe("outboxNoteText", () => {
  it("words each note in English", () => {
    expect(outboxNoteText(changed, "ignored")).toBe(
      "engagement.pdf changed on disk after the send was queued, so it was not sent. Add the file again to send the new version.",
    );
    expect(outboxNoteText({ code: "unsure_wait" }, null)).toBe(
      "The last upload was cut off before Penneo answered. Waiting for Penneo to finish with it, then checking whether the casefile exists before sending again.",
    );
    expect(outboxNoteText(refusedWithWords, null)).toBe(
      "Penneo did not accept this casefile. Penneo said: “Signer 2 has no e-mail address”",
    );
    expect(outboxNoteText(forbidden, null)).toBe(
      "Penneo did not accept this casefile: This account is not allowed to do that. Ask your Penneo administrator.",
    );
    expect(outboxNoteText(penneoDown, null)).toBe(
      "Will try again: Penneo had a problem with the request. Try again later. Penneo said: “Scheduled maintenance”",
    );
    expect(outboxNoteText(slowDown, null)).toBe("Will try again: Penneo asks us to slow down. Try again in 30 seconds.");
    expect(outboxNoteText(failed, null)).toBe("Penneo could not create the casefile. Penneo said: “Document 1 is not a valid PDF”");
    expect(outboxNoteText({ code: "job_failed" }, "Penneo could not create the casefile: no reason given")).toBe(
      "Penneo could not create the casefile and gave no reason.",
    );
    expect(outboxNoteText({ code: "file_unreadable", fileName: "a.pdf", detail: "No such file or directory (os error 2)" }, null)).toBe(
      "a.pdf cannot be read any more (No such file or directory (os error 2)). Put it back or remove this send.",
    );
  });

  it("words each note in Danish, Penneo's own words quoted as Penneo's", () => {
    setLanguage("da");
    expect(outboxNoteText(changed, "engagement.pdf changed on disk")).toBe(
      "engagement.pdf er ændret på disken, efter afsendelsen blev sat i kø, så den blev ikke sendt. Tilføj filen igen for at sende den nye version.",
    );
    expect(outboxNoteText({ code: "sign_in_again" }, "Waiting for you to sign in again")).toBe("Venter på, at du logger ind igen.");
    expect(outboxNoteText(refusedWithWords, null)).toBe("Penneo godtog ikke denne sag. Penneo skrev: »Signer 2 has no e-mail address«");
    expect(outboxNoteText(forbidden, null)).toBe(
      "Penneo godtog ikke denne sag: Kontoen har ikke adgang til dette. Spørg jeres Penneo-administrator.",
    );
    expect(outboxNoteText(penneoDown, null)).toBe(
      "Prøver igen: Penneo havde et problem med forespørgslen. Prøv igen senere. Penneo skrev: »Scheduled maintenance«",
    );
    expect(outboxNoteText(slowDown, null)).toBe("Prøver igen: Penneo beder os sætte farten ned. Prøv igen om 30 sekunder.");
    expect(outboxNoteText(failed, null)).toBe("Penneo kunne ikke oprette sagen. Penneo skrev: »Document 1 is not a valid PDF«");
    expect(outboxNoteText({ code: "job_lost" }, null)).toBe("Penneo har mistet jobbet. Sender igen.");
  });

  it("falls back to the backend's English message without a note or for a code it does not know", () => {
    setLanguage("da");
    expect(outboxNoteText(null, "Penneo lost the job; sending again")).toBe("Penneo lost the job; sending again");
    expect(outboxNoteText({ code: "from_a_newer_backend" } as unknown as OutboxNote, "Something new happened")).toBe(
      "Something new happened",
    );
    expect(outboxNoteText(undefined, "  ")).toBeNull();
    expect(outboxNoteText(null, null)).toBeNull();
  });
});
