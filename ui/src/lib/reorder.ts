// Reordering with the mouse, a pen or a finger, through pointer events. HTML5 drag and drop is not
// used anywhere: with the window's file drop enabled (PDFs dropped onto a casefile), Windows'
// WebView2 swallows the page's drag events, so a `draggable` handle would do nothing there.
//
// `dragHandle(options)` is a Svelte attachment for a handle (`{@attach dragHandle({...})}`):
// pressing it and moving past a few pixels starts a drag (a press without moving stays a click
// or a focus); the handle captures the pointer, so the drag follows it anywhere in the window.
// While it moves, `locate(x, y)` says where the item would land (a value of the component's own
// choosing) and where to draw the insert marker; near the top or bottom edge of the scrolling
// area the page scrolls by itself. Letting go calls `ondrop(value)`; Escape, a cancelled
// pointer (pointercancel, lost capture) or letting go over no target cancels. The keyboard
// reorders through each component's own keys and buttons; `announce` tells a screen reader
// where an item went, whichever way it moved.
//
// The geometry (`insertionIndex`, `markerY`, `edgeScrollSpeed`) is pure and tested on its own.

import { m } from "./i18n.svelte";

/** The vertical extent of an item in a list (a DOMRect has it). */
export interface Span {
  top: number;
  bottom: number;
}

/** A rectangle in viewport coordinates (a DOMRect is one). */
export interface Box extends Span {
  left: number;
  right: number;
}

/**
 * The index an item takes in a vertical list once moved to pointer height `y`: the number of the
 * other items whose middle is above `y`. `from` is the dragged item's own index when it is in
 * this list (it does not count), or -1 when it comes from another list. The result is the
 * target of a remove-then-insert move (`moveItem(list, from, index)`).
 */
export function insertionIndex(y: number, items: readonly Span[], from = -1): number {
  let index = 0;
  items.forEach((r, i) => {
    if (i !== from && (r.top + r.bottom) / 2 < y) index++;
  });
  return index;
}

/**
 * Where to draw the insert line for `index` (as `insertionIndex` gives it): midway in the gap
 * between the two items it falls between, at the top of the first or the bottom of the last.
 * Null for an empty list.
 */
export function markerY(items: readonly Span[], index: number, from = -1): number | null {
  const others = items.filter((_, i) => i !== from);
  if (others.length === 0) return null;
  const before = others[index - 1];
  const after = others[index];
  if (before && after) return (before.bottom + after.top) / 2;
  if (after) return after.top;
  return (before as Span).bottom;
}

/**
 * How many pixels a step (16 ms) to scroll when the pointer is at `y` in an area from `top` to
 * `bottom`: negative (up) within `edge` pixels of the top, positive near the bottom, faster
 * the closer to the edge (up to `max`), zero elsewhere.
 */
export function edgeScrollSpeed(y: number, top: number, bottom: number, edge = 48, max = 20): number {
  const band = Math.min(edge, (bottom - top) / 4);
  if (band <= 0) return 0;
  if (y < top + band) return -Math.ceil(max * Math.min(1, (top + band - y) / band));
  if (y > bottom - band) return Math.ceil(max * Math.min(1, (y - (bottom - band)) / band));
  return 0;
}

/** Where an item would land, and how to show it. */
export interface DropTarget<T> {
  value: T;
  /** An insert line across `box`'s width at height `y` (between two items). */
  line?: { y: number; box: Box };
  /** An outline around a target the item joins (a signing step) or fills (an empty list). */
  outline?: Box;
}

export interface DragOptions<T> {
  /** Where the item would land with the pointer at (x, y), or null for nowhere. */
  locate: (x: number, y: number) => DropTarget<T> | null;
  ondrop: (value: T) => void;
  /** The drag has started (past the threshold): mark the item being dragged. */
  onstart?: () => void;
  /** The target changed (null: over nothing). For components that highlight it themselves. */
  onover?: (value: T | null) => void;
  /** The drag ended, dropped or not: clear what `onstart` marked. */
  onend?: (dropped: boolean) => void;
  /** Pixels to move before a press becomes a drag (default 4). */
  threshold?: number;
}

/** The scrolling element that holds `node`: the nearest ancestor that scrolls vertically. */
function scrollerOf(node: Element): Element {
  for (let el = node.parentElement; el; el = el.parentElement) {
    const oy = getComputedStyle(el).overflowY;
    if ((oy === "auto" || oy === "scroll") && el.scrollHeight > el.clientHeight) return el;
  }
  return document.scrollingElement ?? document.documentElement;
}

function placeMarker(marker: HTMLElement, target: DropTarget<unknown> | null) {
  if (target?.line) {
    const { y, box } = target.line;
    marker.className = "reorder-marker line";
    Object.assign(marker.style, { left: `${box.left}px`, top: `${y - 1.5}px`, width: `${box.right - box.left}px`, height: "3px" });
  } else if (target?.outline) {
    const b = target.outline;
    marker.className = "reorder-marker outline";
    Object.assign(marker.style, {
      left: `${b.left}px`,
      top: `${b.top}px`,
      width: `${b.right - b.left}px`,
      height: `${b.bottom - b.top}px`,
    });
  } else {
    marker.className = "reorder-marker hidden";
  }
}

/** A Svelte attachment that makes `node` a pointer drag handle (see the top of this file). */
export function dragHandle<T>(options: DragOptions<T>): (node: HTMLElement) => () => void {
  return (node) => {
    const threshold = options.threshold ?? 4;
    let pointerId: number | null = null;
    let startX = 0;
    let startY = 0;
    let x = 0;
    let y = 0;
    let dragging = false;
    let target: DropTarget<T> | null = null;
    let marker: HTMLElement | null = null;
    let scroller: Element | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;

    function update() {
      const next = options.locate(x, y);
      if (next?.value !== target?.value || (next === null) !== (target === null)) options.onover?.(next ? next.value : null);
      target = next;
      if (marker) placeMarker(marker, target);
    }

    // A timer, not requestAnimationFrame: a webview that is not painting (hidden, or a window
    // without a compositor) runs no animation frames, and the scroll must go on all the same.
    function autoScroll() {
      if (!dragging || !scroller) return;
      const whole = scroller === document.scrollingElement || scroller === document.documentElement;
      const area = whole ? { top: 0, bottom: window.innerHeight } : scroller.getBoundingClientRect();
      const dy = edgeScrollSpeed(y, area.top, area.bottom);
      if (dy === 0) return;
      const before = scroller.scrollTop;
      scroller.scrollTop = before + dy;
      if (scroller.scrollTop !== before) update();
    }

    function start() {
      dragging = true;
      options.onstart?.();
      marker = document.createElement("div");
      marker.setAttribute("aria-hidden", "true");
      marker.dataset.testid = "reorder-marker";
      document.body.append(marker);
      document.documentElement.classList.add("reordering");
      scroller = scrollerOf(node);
      window.addEventListener("keydown", onKey, true);
      update();
      timer = setInterval(autoScroll, 16);
    }

    function finish(drop: boolean) {
      const id = pointerId;
      const wasDragging = dragging;
      const value = target?.value;
      const dropping = drop && wasDragging && target !== null;
      pointerId = null;
      dragging = false;
      target = null;
      clearInterval(timer);
      timer = undefined;
      marker?.remove();
      marker = null;
      scroller = null;
      window.removeEventListener("keydown", onKey, true);
      document.documentElement.classList.remove("reordering");
      if (id !== null && node.hasPointerCapture?.(id)) node.releasePointerCapture(id);
      if (!wasDragging) return;
      options.onover?.(null);
      options.onend?.(dropping);
      if (dropping) options.ondrop(value as T);
    }

    function onKey(e: KeyboardEvent) {
      if (e.key !== "Escape") return;
      e.preventDefault();
      e.stopPropagation();
      finish(false);
      announce(m.reorder_cancelled());
    }

    function onDown(e: PointerEvent) {
      if (pointerId !== null || !e.isPrimary || e.button !== 0) return;
      pointerId = e.pointerId;
      startX = x = e.clientX;
      startY = y = e.clientY;
      // No text selection or native drag from the press; the handle still takes focus.
      e.preventDefault();
      node.focus({ preventScroll: true });
      node.setPointerCapture?.(e.pointerId);
    }

    function onMove(e: PointerEvent) {
      if (e.pointerId !== pointerId) return;
      x = e.clientX;
      y = e.clientY;
      if (!dragging) {
        if (Math.hypot(x - startX, y - startY) < threshold) return;
        start();
      } else update();
    }

    function onUp(e: PointerEvent) {
      if (e.pointerId !== pointerId) return;
      x = e.clientX;
      y = e.clientY;
      if (dragging) update();
      finish(true);
    }

    function onCancel(e: PointerEvent) {
      if (e.pointerId === pointerId) finish(false);
    }

    node.addEventListener("pointerdown", onDown);
    node.addEventListener("pointermove", onMove);
    node.addEventListener("pointerup", onUp);
    node.addEventListener("pointercancel", onCancel);
    node.addEventListener("lostpointercapture", onCancel);
    // A stray native drag (an image, a selection) would steal the pointer: never start one here.
    const noNative = (e: Event) => e.preventDefault();
    node.addEventListener("dragstart", noNative);
    return () => {
      if (pointerId !== null) finish(false);
      node.removeEventListener("pointerdown", onDown);
      node.removeEventListener("pointermove", onMove);
      node.removeEventListener("pointerup", onUp);
      node.removeEventListener("pointercancel", onCancel);
      node.removeEventListener("lostpointercapture", onCancel);
      node.removeEventListener("dragstart", noNative);
    };
  };
}

/**
 * A drop target in a vertical list of `items` (elements) inside `box`: the index the item takes
 * there and a line where it would go. `from` as for `insertionIndex`. An empty list is one place,
 * index 0, outlined.
 */
export function listTarget(y: number, items: readonly Element[], box: Element, from = -1): DropTarget<number> {
  const rects = items.map((el) => el.getBoundingClientRect());
  const index = insertionIndex(y, rects, from);
  const frame = box.getBoundingClientRect();
  const at = markerY(rects, index, from);
  return at === null ? { value: index, outline: frame } : { value: index, line: { y: at, box: frame } };
}

let live: HTMLElement | null = null;

/**
 * Says `message` to a screen reader through one polite live region (made on first use). The same
 * text twice in a row still changes the region (a no-break space is added), so it is said again.
 */
export function announce(message: string): void {
  if (!live || !live.isConnected) {
    live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    live.setAttribute("role", "status");
    live.dataset.testid = "reorder-announcement";
    document.body.append(live);
  }
  live.textContent = live.textContent === message ? `${message}\u00a0` : message;
}
