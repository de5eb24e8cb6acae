import { describe, expect, it } from "vitest";
import { dayRangeBounds } from "./filter";

describe("submission filters", () => {
  it("turns picked days into exclusive bounds covering whole days", () => {
    const b = dayRangeBounds("2026-03-02", "2026-03-03", 0);
    expect(b).toEqual({ completedAfter: "2026-03-01T23:59:59.999Z", completedBefore: "2026-03-04T00:00:00.000Z" });
    expect(dayRangeBounds("2026-03-02", null, 60).completedAfter).toBe("2026-03-01T22:59:59.999Z");
    expect(dayRangeBounds("nonsense", null, 0)).toEqual({ completedAfter: null, completedBefore: null });
  });
});
