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
