// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { actionFor, dispatchShortcut, focusSearch, registerShortcut, SHORTCUTS, type KeyPress } from "./keyboard";

const ctrl = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: true, metaKey: false, altKey: false, ...more });

describe("actionFor", () => {
  it("maps every shortcut the sheet lists", () => {
    expect(actionFor(ctrl("f"))).toBe("search");
    expect(actionFor(ctrl("F", { shiftKey: true }))).toBe("search");
    expect(actionFor(ctrl("n"))).toBe("newCasefile");
    expect(actionFor(ctrl("s"))).toBe("save");
    expect(actionFor(ctrl(","))).toBe("settings");
    expect(["1", "2", "3", "4"].map((k) => actionFor(ctrl(k)))).toEqual(["page1", "page2", "page3", "page4"]);
    expect(actionFor(ctrl("+"))).toBe("zoomIn");
    expect(actionFor(ctrl("="))).toBe("zoomIn");
    expect(actionFor(ctrl("-"))).toBe("zoomOut");
    expect(actionFor(ctrl("0"))).toBe("zoomReset");
    expect(actionFor(ctrl("/"))).toBe("help");
    for (const s of SHORTCUTS) expect(s.keys[0]).toBe("Ctrl");
  });

  it("takes ⌘ on macOS, the physical digit keys and the numpad", () => {
    expect(actionFor({ key: "s", ctrlKey: false, metaKey: true, altKey: false })).toBe("save");
    expect(actionFor(ctrl("&", { code: "Digit1", shiftKey: false }))).toBe("page1");
    expect(actionFor(ctrl("+", { code: "NumpadAdd" }))).toBe("zoomIn");
    expect(actionFor(ctrl("x", { code: "NumpadSubtract" }))).toBe("zoomOut");
  });

  it("ignores plain keys, Alt combinations and unknown ones", () => {
    expect(actionFor({ key: "f", ctrlKey: false, metaKey: false, altKey: false })).toBeNull();
    expect(actionFor(ctrl("f", { altKey: true }))).toBeNull();
    expect(actionFor(ctrl("5"))).toBeNull();
    expect(actionFor(ctrl("Escape"))).toBeNull();
  });
});

describe("dispatchShortcut", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  it("runs the newest page handler, else the shell's default, and says whether it was a shortcut", () => {
    const shell = vi.fn();
    const first = vi.fn();
    const second = vi.fn();
    expect(dispatchShortcut(ctrl("s"), { save: shell })).toBe(true);
    expect(shell).toHaveBeenCalledTimes(1);

    cleanups.push(registerShortcut("save", first));
    const removeSecond = registerShortcut("save", second);
    dispatchShortcut(ctrl("s"), { save: shell });
    expect(second).toHaveBeenCalledTimes(1);
    expect(first).not.toHaveBeenCalled();

    removeSecond();
    dispatchShortcut(ctrl("s"), { save: shell });
    expect(first).toHaveBeenCalledTimes(1);
    expect(shell).toHaveBeenCalledTimes(1);

    expect(dispatchShortcut({ key: "s", ctrlKey: false, metaKey: false, altKey: false }, { save: shell })).toBe(false);
  });
});

describe("focusSearch", () => {
  it("focuses the page's search field that is not hidden", () => {
    document.body.innerHTML = `
      <div hidden><input id="a" data-shortcut="search" /></div>
      <input id="b" data-shortcut="search" value="old" />`;
    expect(focusSearch()).toBe(true);
    expect(document.activeElement?.id).toBe("b");
    document.body.innerHTML = "<p>no search here</p>";
    expect(focusSearch()).toBe(false);
  });
});
