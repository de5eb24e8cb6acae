// @vitest-environment jsdom
// A part of the UI loaded on first use: shown with its props once loaded, loaded once, and a
// failed load says so and can be tried again.
import { mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { lazy, lazyLoadsSettled } from "../lazy.svelte";
import { settle } from "../testing/settle";
import EmptyState from "./EmptyState.svelte";
import Lazy from "./Lazy.svelte";

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
});

function show(props: Record<string, unknown>): HTMLElement {
  const target = document.createElement("div");
  document.body.appendChild(target);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the part's props vary per test
  app = mount(Lazy, { target, props: props as any });
  return target;
}

describe("a part loaded on first use", () => {
  it("shows the component with its props once its module is in, and loads it once", async () => {
    let loads = 0;
    const part = lazy(() => {
      loads += 1;
      return Promise.resolve({ default: EmptyState });
    });
    const root = show({ part, icon: "forms", title: "Nothing here yet", children: () => {} });
    expect(root.querySelector("h2")).toBeNull();
    await settle(2);
    expect(root.querySelector("h2")?.textContent).toBe("Nothing here yet");
    await part.preload();
    expect(loads).toBe(1);
  });

  it("says it could not be loaded, with the reason, and loads on Try again", async () => {
    let fail = true;
    const part = lazy(() => (fail ? Promise.reject(new Error("module script failed")) : Promise.resolve({ default: EmptyState })));
    const root = show({ part, icon: "forms", title: "Loaded after all", children: () => {} });
    await settle(2);
    const alert = root.querySelector('[data-testid="lazy-failed"]');
    expect(alert?.getAttribute("role")).toBe("alert");
    expect(alert?.textContent).toContain("could not be loaded: Error: module script failed");

    fail = false;
    alert?.querySelector("button")?.click();
    await lazyLoadsSettled();
    await settle(2);
    expect(root.querySelector('[data-testid="lazy-failed"]')).toBeNull();
    expect(root.querySelector("h2")?.textContent).toBe("Loaded after all");
  });
});
