import { describe, expect, it } from "vitest";
import { localInputToUnix, unixToLocalInput } from "./time";

describe("datetime-local values", () => {
  it("round-trips whole minutes", () => {
    const t = localInputToUnix("2026-11-25T18:30");
    expect(t).not.toBeNull();
    expect(unixToLocalInput(t)).toBe("2026-11-25T18:30");
    expect(new Date((t ?? 0) * 1000).getMinutes()).toBe(30);
  });

  it("gives null and empty for nothing", () => {
    expect(localInputToUnix("")).toBeNull();
    expect(localInputToUnix("tomorrow")).toBeNull();
    expect(unixToLocalInput(null)).toBe("");
  });
});
