import { describe, expect, it } from "vitest";
import { parseTheme, parseZoom, stepZoom, ZOOM_STEPS } from "./appearance.svelte";

describe("zoom steps", () => {
  it("walks up and down the steps and back to 100 %", () => {
    expect(stepZoom(1, 1)).toBe(1.1);
    expect(stepZoom(1.1, -1)).toBe(1);
    expect(stepZoom(1, -1)).toBe(0.9);
    expect(stepZoom(1.75, 0)).toBe(1);
    // between steps (an old value): to the next one each way
    expect(stepZoom(1.2, 1)).toBe(1.25);
    expect(stepZoom(1.2, -1)).toBe(1.1);
  });

  it("stops at the ends", () => {
    expect(stepZoom(ZOOM_STEPS[ZOOM_STEPS.length - 1]!, 1)).toBe(2);
    expect(stepZoom(ZOOM_STEPS[0]!, -1)).toBe(0.5);
  });
});

describe("stored preferences", () => {
  it("reads only what it wrote, else the defaults", () => {
    expect(parseTheme("dark")).toBe("dark");
    expect(parseTheme("light")).toBe("light");
    expect(parseTheme(null)).toBe("system");
    expect(parseTheme("purple")).toBe("system");
    expect(parseZoom("1.25")).toBe(1.25);
    expect(parseZoom(null)).toBe(1);
    expect(parseZoom("9")).toBe(1);
    expect(parseZoom("abc")).toBe(1);
  });
});
