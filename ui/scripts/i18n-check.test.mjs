import { describe, expect, it } from "vitest";
import { checkMessages, findHardCodedStrings } from "./i18n-check.mjs";

describe("findHardCodedStrings", () => {
  it("finds text, user-facing attributes and literal results of expressions", () => {
    const source = `<script lang="ts">
  let busy = $state(false);
  const n: number = 1;
</script>

<h1 title="Forms list">Forms</h1>
<input placeholder="Search" aria-label={busy ? "Busy" : "Search forms"} class="wide" />
<p>{busy ? "Saving…" : "Save"} {n}</p>
<img alt="Logo" src="logo.svg" />
<style>
  h1 { color: red; }
</style>`;
    const found = findHardCodedStrings(source);
    expect(found.map((f) => f.text)).toEqual(["Forms list", "Forms", "Search", "Busy", "Search forms", "Saving…", "Save", "Logo"]);
    expect(found[1]).toMatchObject({ line: 6, where: "text" });
  });

  it("passes a component whose text all comes from messages", () => {
    const source = `<script lang="ts">
  import { m } from "../lib/i18n.svelte";
  let { count }: { count: number } = $props();
</script>

<h1 title={m.forms_title()}>{m.forms_heading()}</h1>
<p class="hint">{m.forms_count({ count: String(count) })} · {count}</p>
<input placeholder={m.search()} type="search" data-testid="search" />
<!-- i18n-ignore -->
<code>npm run build</code>`;
    expect(findHardCodedStrings(source)).toEqual([]);
  });
});

describe("findHardCodedStrings in <script>", () => {
  it("finds a TEXT const, a template string and capitalised labels", () => {
    const source = `<script module lang="ts">
  const TEXT = {
    title: "Send this casefile?",
    close: "Close",
    step: (n: number) => \`Step \${n} of the signing\`,
  };
</script>

<script lang="ts">
  let { who }: { who: string } = $props();
  const pick = $derived(\`Pick \${who} for comparison\`);
  const THEMES = { light: "Light", dark: "Dark" };
</script>

<p>{TEXT.title} {pick} {THEMES.light}</p>`;
    const found = findHardCodedStrings(source);
    expect(found.filter((f) => f.where === "script").map((f) => [f.line, f.text])).toEqual([
      [3, "Send this casefile?"],
      [4, "Close"],
      [5, "Step 0 of the signing"],
      [11, "Pick 0 for comparison"],
      [12, "Light"],
      [12, "Dark"],
    ]);
  });

  it("leaves imports, keys, types, comparisons, selectors, class names, test ids and ignored lines alone", () => {
    const source = `<script lang="ts">
  import Dialog from "./Some Dialog.svelte";
  import { m } from "../lib/i18n.svelte";
  type Mode = "read only" | "edit mode";
  let { mode }: { mode: Mode } = $props();
  const FOCUSABLE = "input:not([disabled]), select, textarea, button";
  const classes = "btn btn-small btn-primary";
  const testid = "submission-row";
  const labels = { "two words": m.a(), kind: "oauth", method: "GET" };
  const key = "penneo-desk.submissions.form";
  function f(e: KeyboardEvent) {
    if (mode === "read only") return;
    switch (e.key) {
      case "Arrow Down":
        break;
    }
    document.querySelector("main > div, nav a")?.classList.add("is open");
    localStorage.setItem("last form id", "x");
    console.warn("this is only logged");
    throw new Error("developers read this one");
  }
  // i18n-ignore: an example address, not language
  const example = "see https://penneo.example.com for it";
  const sample = \`\${key}-\${testid}\`;
</script>

<p class={classes}>{m.title()}</p>`;
    expect(findHardCodedStrings(source)).toEqual([]);
  });
});

describe("checkMessages", () => {
  it("reports keys missing in a language, extra keys and differing parameters", () => {
    const { errors, untranslated } = checkMessages({
      en: { $schema: "x", a: "A", b: "Hello {name}", c: "C" },
      da: { a: "Å", b: "Hej {navn}", d: "D" },
      sv: { a: "A", b: "Hello {name}", c: "C" },
      nb: { a: "A", b: "Hei {name}" },
    });
    expect(errors).toEqual([
      'messages/da.json: "c" is missing (it is in en.json)',
      'messages/da.json: "d" is not in en.json',
      'messages/da.json: "b" has parameters {navn}, en.json {name}',
      'messages/nb.json: "c" is missing (it is in en.json)',
    ]);
    expect(untranslated).toEqual({ sv: ["a", "b", "c"], nb: ["a"] });
  });

  it("passes complete messages", () => {
    const { errors } = checkMessages({ en: { a: "A" }, da: { a: "Æ" }, sv: { a: "A" }, nb: { a: "Å" } });
    expect(errors).toEqual([]);
  });
});
