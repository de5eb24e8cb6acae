// @vitest-environment jsdom
// Settings → Diagnostics with Tauri's IPC mocked: start, stop, save through the Save dialog.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import DiagnosticsSection from "./DiagnosticsSection.svelte";

let app: ReturnType<typeof mount> | null = null;

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
}

function q<T extends HTMLElement = HTMLElement>(root: ParentNode, id: string): T {
  const el = root.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no element with data-testid=${id}`);
  return el;
}

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  clearMocks();
});

describe("the diagnostics recorder", () => {
  it("starts, stops and saves to the path the Save dialog gave", async () => {
    const calls: { cmd: string; payload: unknown }[] = [];
    let recording = false;
    let exchanges = 0;
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      const status = () => ({ recording, exchanges, startedAt: recording ? "2026-12-02T05:00:00Z" : null });
      switch (cmd) {
        case "recording_status":
          return status();
        case "start_recording":
          recording = true;
          exchanges = 0;
          return status();
        case "stop_recording":
          recording = false;
          exchanges = 12;
          return status();
        case "pick_save_path":
          return "/home/me/penneo-api-exchanges.json";
        case "save_recording":
          return exchanges;
        case "log_folder":
          return "/home/me/.local/share/com.penneodesk.app/logs";
        default:
          throw new Error(`unexpected ${cmd}`);
      }
    });
    const target = document.createElement("div");
    document.body.appendChild(target);
    app = mount(DiagnosticsSection, { target });
    await settle();
    expect(q(target, "recorder-status").textContent).toContain("Not recording");
    expect(q<HTMLButtonElement>(target, "recorder-save").disabled).toBe(true);
    q<HTMLButtonElement>(target, "recorder-start").click();
    await settle();
    expect(q(target, "recorder-status").dataset.recording).toBe("true");
    q<HTMLButtonElement>(target, "recorder-stop").click();
    await settle();
    expect(q(target, "recorder-status").textContent).toContain("Stopped with 12 exchanges");
    q<HTMLButtonElement>(target, "recorder-save").click();
    await settle();
    const pick = calls.find((c) => c.cmd === "pick_save_path");
    expect(pick?.payload).toMatchObject({ filterName: "JSON", extensions: ["json"] });
    const save = calls.find((c) => c.cmd === "save_recording");
    expect(save?.payload).toEqual({ path: "/home/me/penneo-api-exchanges.json" });
    expect(q(target, "recorder-notice").textContent).toContain("Saved 12 exchanges");
  });

  it("shows the log folder and opens it", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      switch (cmd) {
        case "recording_status":
          return { recording: false, exchanges: 0, startedAt: null };
        case "log_folder":
          return "/home/me/.local/share/com.penneodesk.app/logs";
        case "open_log_folder":
          return null;
        default:
          throw new Error(`unexpected ${cmd}`);
      }
    });
    const target = document.createElement("div");
    document.body.appendChild(target);
    app = mount(DiagnosticsSection, { target });
    await settle();
    expect(q(target, "log-folder").textContent).toBe("/home/me/.local/share/com.penneodesk.app/logs");
    q<HTMLButtonElement>(target, "log-folder-open").click();
    await settle();
    expect(calls).toContain("open_log_folder");
    expect(target.querySelector('[data-testid="recorder-error"]')).toBeNull();
  });
});
