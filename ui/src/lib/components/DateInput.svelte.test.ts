// @vitest-environment jsdom
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { setLanguage, type Language } from "../i18n.svelte";
import { dateFieldsLoaded, fieldParts, press, typeDate } from "../testing/dates";
import DateInput from "./DateInput.svelte";

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  setLanguage("system");
});

async function field(props: { value?: string; granularity?: "day" | "minute"; onchange?: (v: string) => void }) {
  const state = $state({ value: props.value ?? "" });
  const el = document.createElement("div");
  document.body.appendChild(el);
  app = mount(DateInput, {
    target: el,
    props: {
      get value() {
        return state.value;
      },
      set value(v: string) {
        state.value = v;
      },
      label: "Completed from",
      testid: "when",
      granularity: props.granularity ?? "day",
      onchange: props.onchange,
    },
  });
  await dateFieldsLoaded(el);
  return { el, state };
}

const order = (el: HTMLElement) => fieldParts(el, "when").map((p) => (p.part === "literal" ? p.text : p.part));

describe("a date field's parts follow the UI language", () => {
  const cases: [Language, string[], string][] = [
    ["en", ["day", "/", "month", "/", "year"], "02/12/2026"],
    ["da", ["day", ".", "month", ".", "year"], "02.12.2026"],
    ["sv", ["year", "-", "month", "-", "day"], "2026-12-02"],
    ["nb", ["day", ".", "month", ".", "year"], "02.12.2026"],
  ];
  for (const [language, parts, shown] of cases) {
    it(`${language}: ${shown}`, async () => {
      setLanguage(language);
      const { el } = await field({ value: "2026-12-02" });
      expect(order(el)).toEqual(parts);
      expect(
        fieldParts(el, "when")
          .map((p) => p.text)
          .join(""),
      ).toBe(shown);
    });
  }

  it("follows a switch of language while shown", async () => {
    setLanguage("en");
    const { el } = await field({ value: "2026-12-02" });
    expect(order(el)).toEqual(["day", "/", "month", "/", "year"]);
    setLanguage("sv");
    flushSync();
    expect(order(el)).toEqual(["year", "-", "month", "-", "day"]);
  });

  it("a date and time: day first in English, with a 24-hour clock", async () => {
    setLanguage("en");
    const { el } = await field({ value: "2026-12-02T14:05", granularity: "minute" });
    const parts = fieldParts(el, "when").filter((p) => p.part !== "literal");
    expect(parts.map((p) => p.part)).toEqual(["day", "month", "year", "hour", "minute"]);
    expect(parts.map((p) => p.text)).toEqual(["02", "12", "2026", "14", "05"]);
  });
});

describe("typing a date", () => {
  it("digits fill the parts in the language's order and the page gets YYYY-MM-DD", async () => {
    setLanguage("en");
    const seen: string[] = [];
    const { el, state } = await field({ onchange: (v) => seen.push(v) });
    // Empty parts are announced as empty and named in the UI language.
    const day = el.querySelector<HTMLElement>("[data-segment=day]")!;
    expect(day.getAttribute("aria-valuetext")).toBe("empty");
    expect(day.getAttribute("aria-label")).toBe("day");
    typeDate(el, "when", "02122026");
    expect(state.value).toBe("2026-12-02");
    expect(seen[seen.length - 1]).toBe("2026-12-02");
    expect(el.querySelector("[data-testid=when]")!.getAttribute("data-value")).toBe("2026-12-02");
  });

  it("in Danish the same keys mean the same day", async () => {
    setLanguage("da");
    const { el, state } = await field({});
    expect(el.querySelector("[data-segment=month]")!.getAttribute("aria-label")).toBe("måned");
    typeDate(el, "when", "02122026");
    expect(state.value).toBe("2026-12-02");
  });

  it("in Swedish the year comes first", async () => {
    setLanguage("sv");
    const { el, state } = await field({});
    typeDate(el, "when", "20261202");
    expect(state.value).toBe("2026-12-02");
  });

  it("arrows step a part, Backspace empties the field", async () => {
    setLanguage("en");
    const { el, state } = await field({ value: "2026-12-02" });
    el.querySelector<HTMLElement>("[data-segment=day]")!.focus();
    press("ArrowUp");
    expect(state.value).toBe("2026-12-03");
    press("ArrowRight", "ArrowDown");
    expect(state.value).toBe("2026-11-03");
    press("Backspace", "Backspace");
    expect(state.value).toBe("");
  });

  it("a date and time typed gives the datetime-local string", async () => {
    setLanguage("da");
    const { el, state } = await field({ granularity: "minute" });
    typeDate(el, "when", "021220261430");
    expect(state.value).toBe("2026-12-02T14:30");
  });

  it("a value the page changes shows at once; an empty one empties the field", async () => {
    setLanguage("en");
    const { el, state } = await field({ value: "2026-12-02" });
    state.value = "2027-01-31";
    flushSync();
    expect(
      fieldParts(el, "when")
        .map((p) => p.text)
        .join(""),
    ).toBe("31/01/2027");
    state.value = "";
    flushSync();
    expect(el.querySelector("[data-segment=day]")!.getAttribute("aria-valuetext")).toBe("empty");
  });
});

describe("the calendar", () => {
  it("opens from its button in the UI language, and a picked day is the value", async () => {
    setLanguage("da");
    const { el, state } = await field({ value: "2026-12-02" });
    const button = el.querySelector<HTMLButtonElement>("[data-testid=when-calendar]")!;
    expect(button.getAttribute("aria-label")).toBe("Åbn kalenderen: Completed from");
    button.click();
    let grid: HTMLElement | null = null;
    for (let i = 0; i < 200 && !grid; i++) {
      await new Promise((r) => setTimeout(r, 5));
      flushSync();
      grid = document.querySelector<HTMLElement>("[data-testid=date-calendar] [role=grid]");
    }
    expect(grid).not.toBeNull();
    expect(document.querySelector("[data-testid=date-calendar]")!.textContent).toContain("december 2026");
    // The field's day has the focus, for the arrow keys.
    for (let i = 0; i < 100 && document.activeElement?.getAttribute("data-value") !== "2026-12-02"; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(document.activeElement?.getAttribute("data-value")).toBe("2026-12-02");
    const day = Array.from(document.querySelectorAll<HTMLElement>("[data-testid=date-calendar] [data-bits-day]")).find(
      (d) => d.textContent?.trim() === "24" && !d.hasAttribute("data-outside-month"),
    )!;
    day.click();
    flushSync();
    expect(state.value).toBe("2026-12-24");
  });
});
