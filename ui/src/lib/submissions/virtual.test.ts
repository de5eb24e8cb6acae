import { describe, expect, it } from "vitest";
import { scrollToRow, virtualWindow } from "./virtual";

describe("virtual window", () => {
  it("renders the visible rows plus overscan, with spacers for the rest", () => {
    const w = virtualWindow(10_000, 30, 3000, 600, 5);
    expect(w).toEqual({ start: 95, end: 126, before: 95 * 30, after: (10_000 - 126) * 30 });
    expect(w.before + (w.end - w.start) * 30 + w.after).toBe(10_000 * 30);
  });

  it("clamps at both ends and handles empty lists", () => {
    expect(virtualWindow(10, 30, -50, 600, 5)).toMatchObject({ start: 0, end: 10, before: 0, after: 0 });
    const bottom = virtualWindow(1000, 30, 1e9, 600, 5);
    expect(bottom.end).toBe(1000);
    expect(bottom.after).toBe(0);
    expect(virtualWindow(0, 30, 0, 600)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });

  it("scrolls a row into view only when needed", () => {
    expect(scrollToRow(5, 30, 0, 600)).toBeNull();
    expect(scrollToRow(30, 30, 0, 600)).toBe(31 * 30 - 600);
    expect(scrollToRow(2, 30, 300, 600)).toBe(60);
  });
});
