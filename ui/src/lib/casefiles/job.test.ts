import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n.svelte";
import { INITIAL_SEND_STATE, describeSend, reduceSend, sendSteps, uploadFraction, type SendEvent, type SendState } from "./job";

const job = { uuid: "u1", payloadHash: "h1" };

function run(events: SendEvent[], from: SendState = INITIAL_SEND_STATE): SendState {
  return events.reduce(reduceSend, from);
}

const steps = (s: SendState) =>
  sendSteps(s)
    .map((x) => `${x.key}:${x.status}`)
    .join(" ");

describe("the send reducer", () => {
  it("goes through every step to created", () => {
    let s = run([{ kind: "queued" }, { kind: "uploadStarted", bytesTotal: 1000, filesTotal: 2 }]);
    expect(s).toMatchObject({ phase: "uploading", bytesSent: 0, filesTotal: 2 });
    s = run([{ kind: "uploadProgress", bytesSent: 400, filesSent: 0 }], s);
    expect(uploadFraction(s)).toBeCloseTo(0.4);
    expect(describeSend(s)).toBe("Uploading file 1 of 2…");
    s = run(
      [
        { kind: "uploadProgress", bytesSent: 1000, filesSent: 2 },
        { kind: "uploaded", job },
      ],
      s,
    );
    expect(s).toMatchObject({ phase: "uploaded", job });
    expect(steps(s)).toBe("queued:done uploading:done uploaded:current processing:todo created:todo");
    s = run(
      [
        { kind: "jobStatus", jobStatus: "pending" },
        { kind: "jobStatus", jobStatus: "processing" },
      ],
      s,
    );
    expect(s.phase).toBe("processing");
    s = run(
      [
        {
          kind: "jobStatus",
          jobStatus: "completed",
          casefileId: 42,
          signingLinks: [{ name: "Ida", role: "customer", signingLink: "https://x/1" }],
        },
      ],
      s,
    );
    expect(s).toEqual({
      phase: "created",
      casefileId: 42,
      signingLinks: [{ name: "Ida", role: "customer", signingLink: "https://x/1" }],
      job,
    });
    expect(steps(s)).toBe("queued:done uploading:done uploaded:done processing:done created:done");
  });

  it("never goes backwards", () => {
    let s = run([
      { kind: "uploadStarted", bytesTotal: 100, filesTotal: 1 },
      { kind: "uploadProgress", bytesSent: 80, filesSent: 0 },
    ]);
    s = run(
      [
        { kind: "uploadProgress", bytesSent: 20, filesSent: 0 },
        { kind: "uploadProgress", bytesSent: 500, filesSent: 9 },
      ],
      s,
    );
    expect(s).toMatchObject({ bytesSent: 100, filesSent: 1 });
    s = run(
      [
        { kind: "uploaded", job },
        { kind: "uploadStarted", bytesTotal: 5, filesTotal: 1 },
        { kind: "uploadProgress", bytesSent: 1, filesSent: 0 },
      ],
      s,
    );
    expect(s.phase).toBe("uploaded");
    s = run(
      [
        { kind: "jobStatus", jobStatus: "processing" },
        { kind: "jobStatus", jobStatus: "pending" },
      ],
      s,
    );
    expect(s.phase).toBe("processing");
  });

  it("ends as failed with the job's message, and then ignores everything", () => {
    const s = run([
      { kind: "uploaded", job },
      { kind: "jobStatus", jobStatus: "failed", errorMessage: "Invalid signer email" },
    ]);
    expect(s).toMatchObject({ phase: "failed", code: "job_failed", message: "Invalid signer email", during: "uploaded", job });
    expect(steps(s)).toBe("queued:done uploading:done uploaded:failed processing:todo created:todo");
    expect(run([{ kind: "jobStatus", jobStatus: "completed", casefileId: 1 }], s)).toBe(s);
  });

  it("treats a duplicate and a completion without id as failures", () => {
    expect(
      run([
        { kind: "uploaded", job },
        { kind: "jobStatus", jobStatus: "aborted_duplicated" },
      ]),
    ).toMatchObject({ phase: "failed", code: "duplicate" });
    expect(
      run([
        { kind: "uploaded", job },
        { kind: "jobStatus", jobStatus: "completed" },
      ]),
    ).toMatchObject({ phase: "failed", code: "no_casefile_id" });
  });

  it("reports a transport failure during the upload", () => {
    const s = run([
      { kind: "uploadStarted", bytesTotal: 10, filesTotal: 1 },
      { kind: "failed", code: "offline", message: "No connection", retryable: true },
    ]);
    expect(s).toMatchObject({ phase: "failed", code: "offline", retryable: true, during: "uploading", job: null });
  });

  it("stops and resumes where it was; a final job status still lands while stopped", () => {
    const up = run([{ kind: "uploaded", job }]);
    const stopped = run([{ kind: "stopped", reason: "the app was closed" }], up);
    expect(stopped).toMatchObject({ phase: "stopped", during: "uploaded" });
    expect(run([{ kind: "uploadStarted", bytesTotal: 1, filesTotal: 1 }], stopped)).toBe(stopped);
    expect(describeSend(stopped)).toContain("Paused");
    expect(uploadFraction(stopped)).toBe(1);
    expect(run([{ kind: "resumed" }], stopped)).toEqual(up);
    expect(run([{ kind: "jobStatus", jobStatus: "completed", casefileId: 7 }], stopped)).toMatchObject({
      phase: "created",
      casefileId: 7,
      job,
    });
  });

  it("ignores unknown job statuses", () => {
    const s = run([{ kind: "uploaded", job }]);
    expect(run([{ kind: "jobStatus", jobStatus: "retrying" }], s)).toBe(s);
  });
});

describe("the send's words", () => {
  afterEach(() => setLanguage("system"));

  it("follow the UI language: the line under the stepper and the steps' labels", () => {
    const s = run([{ kind: "queued" }, { kind: "uploadStarted", bytesTotal: 1000, filesTotal: 2 }]);
    expect(describeSend(s)).toBe("Uploading file 1 of 2…");
    expect(sendSteps(s).map((x) => x.label)).toEqual(["Queued", "Uploading", "Uploaded", "Processing", "Created"]);
    setLanguage("da");
    expect(describeSend(s)).toBe("Uploader fil 1 af 2…");
    expect(describeSend(INITIAL_SEND_STATE)).toBe("Venter på at blive sendt.");
    expect(describeSend({ phase: "created", casefileId: 4711, signingLinks: [], job: null })).toBe("Sag 4711 er oprettet.");
    expect(sendSteps(s).map((x) => x.label)).toEqual(["I kø", "Uploader", "Uploadet", "Behandles", "Oprettet"]);
  });
});
