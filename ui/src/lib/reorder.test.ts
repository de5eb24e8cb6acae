// @vitest-environment jsdom
// The pointer reorder: where an item lands, where the line is drawn, the edge scroll, and the
// gesture itself (threshold, drop, Escape, a cancelled pointer) on a handle in a DOM.
import { afterEach, describe, expect, it, vi } from "vitest";
import { moveItem } from "./forms/edit";
import { announce, dragHandle, edgeScrollSpeed, insertionIndex, listTarget, markerY, type DropTarget } from "./reorder";

// Three items 40 px high with 10 px between them: 0–40, 50–90, 100–140 (middles 20, 70, 120).
const items = [
  { top: 0, bottom: 40 },
  { top: 50, bottom: 90 },
  { top: 100, bottom: 140 },
];

describe("insertionIndex", () => {
  it("counts the other items whose middle is above the pointer", () => {
    expect(insertionIndex(-5, items)).toBe(0);
    expect(insertionIndex(21, items)).toBe(1);
    expect(insertionIndex(71, items)).toBe(2);
    expect(insertionIndex(500, items)).toBe(3);
  });

  it("leaves the dragged item out, so the index is its place once moved", () => {
    // The first item dragged below the second's middle takes index 1.
    expect(insertionIndex(75, items, 0)).toBe(1);
    expect(insertionIndex(10, items, 0)).toBe(0);
    // The last item dragged to the top.
    expect(insertionIndex(5, items, 2)).toBe(0);
    expect(insertionIndex(500, items, 2)).toBe(2);
    const list = ["a", "b", "c"];
    moveItem(list, 0, insertionIndex(130, items, 0));
    expect(list).toEqual(["b", "c", "a"]);
  });

  it("is 0 for an empty list", () => {
    expect(insertionIndex(100, [])).toBe(0);
  });
});

describe("markerY", () => {
  it("puts the line in the gap between two items, or at the ends", () => {
    expect(markerY(items, 0)).toBe(0);
    expect(markerY(items, 1)).toBe(45);
    expect(markerY(items, 2)).toBe(95);
    expect(markerY(items, 3)).toBe(140);
  });

  it("skips the dragged item", () => {
    // Dragging item 0: the others are 50–90 and 100–140.
    expect(markerY(items, 0, 0)).toBe(50);
    expect(markerY(items, 1, 0)).toBe(95);
    expect(markerY(items, 2, 0)).toBe(140);
  });

  it("has no line in an empty list", () => {
    expect(markerY([], 0)).toBeNull();
    expect(markerY([{ top: 0, bottom: 10 }], 0, 0)).toBeNull();
  });
});

describe("edgeScrollSpeed", () => {
  it("scrolls up near the top, down near the bottom, faster closer to the edge", () => {
    expect(edgeScrollSpeed(300, 0, 600)).toBe(0);
    expect(edgeScrollSpeed(40, 0, 600)).toBeLessThan(0);
    expect(edgeScrollSpeed(0, 0, 600)).toBe(-20);
    expect(edgeScrollSpeed(560, 0, 600)).toBeGreaterThan(0);
    expect(edgeScrollSpeed(600, 0, 600)).toBe(20);
    expect(Math.abs(edgeScrollSpeed(5, 0, 600))).toBeGreaterThan(Math.abs(edgeScrollSpeed(40, 0, 600)));
    // Past the edge (the pointer left the area) it is the fastest.
    expect(edgeScrollSpeed(-50, 0, 600)).toBe(-20);
  });

  it("keeps the bands small in a short area", () => {
    expect(edgeScrollSpeed(50, 0, 100)).toBe(0);
    expect(edgeScrollSpeed(10, 0, 0)).toBe(0);
  });
});

function rectOf(r: { top: number; bottom: number; left?: number; right?: number }): DOMRect {
  const left = r.left ?? 0;
  const right = r.right ?? 200;
  return { ...r, left, right, x: left, y: r.top, width: right - left, height: r.bottom - r.top, toJSON: () => r } as DOMRect;
}

describe("listTarget", () => {
  it("gives the index and a line across the list", () => {
    const box = document.createElement("ol");
    const els = items.map((r) => {
      const li = document.createElement("li");
      li.getBoundingClientRect = () => rectOf(r);
      box.append(li);
      return li;
    });
    box.getBoundingClientRect = () => rectOf({ top: 0, bottom: 140, left: 10, right: 300 });
    const t = listTarget(75, els, box, 0);
    expect(t.value).toBe(1);
    expect(t.line?.y).toBe(95);
    expect(t.line?.box.left).toBe(10);
    expect(listTarget(75, [], box).outline?.right).toBe(300);
  });
});

describe("dragHandle", () => {
  afterEach(() => {
    document.body.replaceChildren();
    vi.restoreAllMocks();
  });

  function pointer(el: Element, type: string, x: number, y: number, extra: PointerEventInit = {}) {
    el.dispatchEvent(
      new PointerEvent(type, {
        bubbles: true,
        cancelable: true,
        clientX: x,
        clientY: y,
        pointerId: 1,
        isPrimary: true,
        button: 0,
        ...extra,
      }),
    );
  }

  function setup() {
    const handle = document.createElement("button");
    document.body.append(handle);
    const calls: string[] = [];
    const dropped: number[] = [];
    const detach = dragHandle<number>({
      locate: (_x, y): DropTarget<number> => ({ value: Math.round(y / 100), line: { y, box: rectOf({ top: 0, bottom: 500 }) } }),
      onstart: () => calls.push("start"),
      onend: (d) => calls.push(d ? "end:dropped" : "end:cancelled"),
      onover: (v) => calls.push(`over:${v}`),
      ondrop: (v) => dropped.push(v),
    })(handle);
    return { handle, calls, dropped, detach };
  }

  it("a press without moving is no drag", () => {
    const { handle, calls, dropped } = setup();
    pointer(handle, "pointerdown", 10, 10);
    pointer(handle, "pointermove", 12, 11);
    pointer(handle, "pointerup", 12, 11);
    expect(calls).toEqual([]);
    expect(dropped).toEqual([]);
    expect(document.querySelector("[data-testid=reorder-marker]")).toBeNull();
  });

  it("moving past the threshold drags; letting go drops where the pointer is", () => {
    const { handle, calls, dropped } = setup();
    pointer(handle, "pointerdown", 10, 10);
    pointer(handle, "pointermove", 10, 30);
    expect(calls[0]).toBe("start");
    const marker = document.querySelector<HTMLElement>("[data-testid=reorder-marker]");
    expect(marker?.className).toContain("line");
    expect(document.documentElement.classList.contains("reordering")).toBe(true);
    pointer(handle, "pointermove", 10, 290);
    pointer(handle, "pointerup", 10, 310);
    expect(dropped).toEqual([3]);
    expect(calls[calls.length - 1]).toBe("end:dropped");
    expect(document.querySelector("[data-testid=reorder-marker]")).toBeNull();
    expect(document.documentElement.classList.contains("reordering")).toBe(false);
  });

  it("Escape cancels: nothing is dropped and the cancel is announced", () => {
    const { handle, calls, dropped } = setup();
    pointer(handle, "pointerdown", 10, 10);
    pointer(handle, "pointermove", 10, 200);
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    pointer(handle, "pointerup", 10, 300);
    expect(dropped).toEqual([]);
    expect(calls[calls.length - 1]).toBe("end:cancelled");
    expect(document.querySelector("[data-testid=reorder-marker]")).toBeNull();
    expect(document.querySelector("[data-testid=reorder-announcement]")?.textContent).toBe("Move cancelled.");
  });

  it("a cancelled pointer (pointercancel) drops nothing", () => {
    const { handle, calls, dropped } = setup();
    pointer(handle, "pointerdown", 10, 10);
    pointer(handle, "pointermove", 10, 200);
    pointer(handle, "pointercancel", 10, 200);
    pointer(handle, "pointerup", 10, 300);
    expect(dropped).toEqual([]);
    expect(calls[calls.length - 1]).toBe("end:cancelled");
  });

  it("letting go over no target drops nothing", () => {
    const handle = document.createElement("button");
    document.body.append(handle);
    const ondrop = vi.fn();
    dragHandle<number>({ locate: () => null, ondrop })(handle);
    pointer(handle, "pointerdown", 10, 10);
    pointer(handle, "pointermove", 10, 200);
    expect(document.querySelector("[data-testid=reorder-marker]")?.className).toContain("hidden");
    pointer(handle, "pointerup", 10, 200);
    expect(ondrop).not.toHaveBeenCalled();
  });

  it("ignores other buttons and other pointers, and stops on detach", () => {
    const { handle, calls, dropped, detach } = setup();
    pointer(handle, "pointerdown", 10, 10, { button: 2 });
    pointer(handle, "pointermove", 10, 200, { button: 2 });
    expect(calls).toEqual([]);
    pointer(handle, "pointerdown", 10, 10);
    pointer(handle, "pointermove", 10, 200, { pointerId: 2 });
    expect(calls).toEqual([]);
    pointer(handle, "pointermove", 10, 200);
    expect(calls[0]).toBe("start");
    detach();
    expect(calls[calls.length - 1]).toBe("end:cancelled");
    pointer(handle, "pointerup", 10, 300);
    expect(dropped).toEqual([]);
  });
});

describe("announce", () => {
  it("says each message in one live region, a repeat too", () => {
    announce("Section moved to position 2 of 3.");
    const region = document.querySelector("[data-testid=reorder-announcement]");
    expect(region?.getAttribute("aria-live")).toBe("polite");
    expect(region?.textContent).toBe("Section moved to position 2 of 3.");
    announce("Section moved to position 2 of 3.");
    expect(region?.textContent).not.toBe("Section moved to position 2 of 3.");
    expect(region?.textContent?.trim()).toBe("Section moved to position 2 of 3.");
    expect(document.querySelectorAll("[data-testid=reorder-announcement]")).toHaveLength(1);
  });
});
