// The i18n check (`npm run lint`, so `make lint` / `make test`):
//  1. messages: every key of messages/en.json is in da.json and the other way round; sv.json and
//     nb.json have exactly en's keys (a value equal to the English one is untranslated: allowed,
//     counted); a message's {parameters} are the same in every language.
//  2. components: no hard-coded user-facing text in a .svelte file under src/: text with letters
//     in the markup, and literal strings in the user-facing attributes (title, placeholder,
//     aria-label, alt, label and the components' text props below) or in a text position of a
//     {…} expression (`{busy ? "Saving…" : "Save"}`). Text goes through `m.key()` instead.
//     Files listed in scripts/i18n-pending.txt (not converted yet) are skipped with a warning.
// Exit code 1 on any finding. `node scripts/i18n-check.mjs --untranslated sv` lists sv's
// untranslated keys for a translator.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "svelte/compiler";

const UI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The complete languages (fail on a missing key) and the prepared ones (English allowed). */
export const COMPLETE = ["en", "da"];
export const PREPARED = ["sv", "nb"];

/** Attributes and component props whose value is shown to the user (or read out by a screen reader). */
const TEXT_ATTRIBUTES = new Set([
  "title",
  "placeholder",
  "aria-label",
  "aria-description",
  "aria-valuetext",
  "alt",
  "label",
  "description",
  "beforeLabel",
  "afterLabel",
]);

const LETTER = /\p{L}/u;

const params = (text) => new Set([...String(text).matchAll(/\{\s*([A-Za-z_$][\w$]*)\s*\}/g)].map((x) => x[1]));

/**
 * Checks the messages of every language (`{en: {...}, da: {...}, ...}`). Returns
 * `{errors: string[], untranslated: {sv: string[], nb: string[]}}`.
 */
export function checkMessages(byLanguage) {
  const errors = [];
  const untranslated = {};
  const keys = (lang) => Object.keys(byLanguage[lang] ?? {}).filter((k) => !k.startsWith("$"));
  const en = byLanguage.en ?? {};
  const enKeys = keys("en");
  for (const lang of [...COMPLETE, ...PREPARED]) {
    if (lang === "en") continue;
    const msgs = byLanguage[lang] ?? {};
    const own = new Set(keys(lang));
    for (const k of enKeys) if (!own.has(k)) errors.push(`messages/${lang}.json: "${k}" is missing (it is in en.json)`);
    for (const k of own) if (!(k in en)) errors.push(`messages/${lang}.json: "${k}" is not in en.json`);
    for (const k of enKeys) {
      if (!own.has(k)) continue;
      const want = [...params(en[k])].sort().join(",");
      const got = [...params(msgs[k])].sort().join(",");
      if (want !== got) errors.push(`messages/${lang}.json: "${k}" has parameters {${got}}, en.json {${want}}`);
    }
    if (PREPARED.includes(lang)) untranslated[lang] = enKeys.filter((k) => own.has(k) && msgs[k] === en[k]);
  }
  for (const lang of COMPLETE) {
    for (const k of keys(lang)) {
      if (typeof byLanguage[lang][k] !== "string" || byLanguage[lang][k].trim() === "") {
        errors.push(`messages/${lang}.json: "${k}" is empty`);
      }
    }
  }
  return { errors, untranslated };
}

/** String literals in an expression's result positions (not call arguments, keys or tests). */
function resultLiterals(expr, out = []) {
  if (!expr) return out;
  switch (expr.type) {
    case "Literal":
      if (typeof expr.value === "string") out.push({ text: expr.value, node: expr });
      break;
    case "TemplateLiteral":
      for (const q of expr.quasis) out.push({ text: q.value.cooked ?? q.value.raw, node: q });
      for (const e of expr.expressions) resultLiterals(e, out);
      break;
    case "ConditionalExpression":
      resultLiterals(expr.consequent, out);
      resultLiterals(expr.alternate, out);
      break;
    case "LogicalExpression":
      resultLiterals(expr.left, out);
      resultLiterals(expr.right, out);
      break;
    case "BinaryExpression":
      if (expr.operator === "+") {
        resultLiterals(expr.left, out);
        resultLiterals(expr.right, out);
      }
      break;
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
      resultLiterals(expr.expression, out);
      break;
  }
  return out;
}

function lineOf(source, offset) {
  return source.slice(0, offset ?? 0).split("\n").length;
}

/**
 * The hard-coded user-facing strings of one component: `[{line, text, where}]`. An element or
 * block right after a `<!-- i18n-ignore -->` comment is skipped (for text that is not language,
 * e.g. a code sample).
 */
export function findHardCodedStrings(source, filename = "Component.svelte") {
  const ast = parse(source, { modern: true, filename });
  const found = [];
  const report = (text, node, where) => {
    const trimmed = String(text).replace(/\s+/g, " ").trim();
    if (LETTER.test(trimmed)) found.push({ line: lineOf(source, node.start), text: trimmed, where });
  };
  const checkExpression = (expr, where) => {
    for (const lit of resultLiterals(expr)) report(lit.text, lit.node.start !== undefined ? lit.node : expr, where);
  };
  const visitAttributes = (attributes = []) => {
    for (const a of attributes) {
      if (a.type !== "Attribute" || !TEXT_ATTRIBUTES.has(a.name)) continue;
      const parts = a.value === true ? [] : Array.isArray(a.value) ? a.value : [a.value];
      for (const part of parts) {
        if (part.type === "Text") report(part.data, part, `${a.name}=`);
        else if (part.type === "ExpressionTag") checkExpression(part.expression, `${a.name}=`);
      }
    }
  };
  const visitFragment = (fragment) => {
    if (!fragment) return;
    let ignoreNext = false;
    for (const node of fragment.nodes ?? []) {
      if (node.type === "Comment") {
        if (node.data.includes("i18n-ignore")) ignoreNext = true;
        continue;
      }
      if (node.type === "Text" && !node.data.trim()) continue;
      if (ignoreNext) {
        ignoreNext = false;
        continue;
      }
      visitNode(node);
    }
  };
  const visitNode = (node) => {
    switch (node.type) {
      case "Text":
        report(node.data, node, "text");
        return;
      case "ExpressionTag":
        checkExpression(node.expression, "text");
        return;
      case "RegularElement":
      case "SvelteElement":
      case "Component":
      case "SvelteComponent":
      case "SvelteSelf":
      case "SvelteFragment":
      case "SvelteBoundary":
      case "TitleElement":
      case "SlotElement":
        if (node.name === "style" || node.name === "script") return;
        visitAttributes(node.attributes);
        visitFragment(node.fragment);
        return;
      case "SvelteHead":
      case "SvelteWindow":
      case "SvelteDocument":
      case "SvelteBody":
        visitFragment(node.fragment);
        return;
      case "IfBlock":
        visitFragment(node.consequent);
        visitFragment(node.alternate);
        return;
      case "EachBlock":
        visitFragment(node.body);
        visitFragment(node.fallback);
        return;
      case "AwaitBlock":
        visitFragment(node.pending);
        visitFragment(node.then);
        visitFragment(node.catch);
        return;
      case "KeyBlock":
      case "SnippetBlock":
        visitFragment(node.body ?? node.fragment);
        return;
      default:
        return;
    }
  };
  visitFragment(ast.fragment);
  return found;
}

function svelteFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "paraglide" && entry.name !== "node_modules") out.push(...svelteFiles(p));
    } else if (entry.name.endsWith(".svelte")) out.push(p);
  }
  return out.sort();
}

function readMessages() {
  const byLanguage = {};
  for (const lang of [...COMPLETE, ...PREPARED]) {
    byLanguage[lang] = JSON.parse(readFileSync(path.join(UI, "messages", `${lang}.json`), "utf8"));
  }
  return byLanguage;
}

/** Paths (relative to ui/) of the components not converted yet, from scripts/i18n-pending.txt. */
function pendingFiles() {
  const text = readFileSync(path.join(UI, "scripts", "i18n-pending.txt"), "utf8");
  return new Set(
    text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#")),
  );
}

function main(argv) {
  const byLanguage = readMessages();
  const { errors, untranslated } = checkMessages(byLanguage);
  const listFor = argv.indexOf("--untranslated");
  if (listFor >= 0) {
    const lang = argv[listFor + 1];
    for (const k of untranslated[lang] ?? []) console.log(`${k}\t${byLanguage.en[k]}`);
    return 0;
  }

  const pending = pendingFiles();
  const skipped = [];
  for (const file of svelteFiles(path.join(UI, "src"))) {
    const rel = path.relative(UI, file).split(path.sep).join("/");
    const found = findHardCodedStrings(readFileSync(file, "utf8"), rel);
    if (pending.has(rel)) {
      skipped.push(`${rel} (${found.length})`);
      continue;
    }
    for (const f of found)
      errors.push(`${rel}:${f.line}: hard-coded ${f.where === "text" ? "text" : `${f.where} value`} "${f.text}": use a message (m.…())`);
  }
  for (const rel of pending)
    if (!skipped.some((s) => s.startsWith(`${rel} `))) errors.push(`scripts/i18n-pending.txt: ${rel} does not exist`);

  if (skipped.length) {
    console.warn(
      `i18n check: WARNING: ${skipped.length} component(s) not converted yet, skipped (scripts/i18n-pending.txt; hard-coded strings in parentheses):`,
    );
    for (const s of skipped) console.warn(`  ${s}`);
  }
  for (const lang of PREPARED) {
    const n = untranslated[lang]?.length ?? 0;
    if (n)
      console.warn(
        `i18n check: ${lang}: ${n} message(s) untranslated (English text; list: node scripts/i18n-check.mjs --untranslated ${lang})`,
      );
  }
  if (errors.length) {
    for (const e of errors) console.error(e);
    console.error(`i18n check: ${errors.length} problem(s)`);
    return 1;
  }
  console.log(`i18n check: messages complete in ${COMPLETE.join(", ")}; no hard-coded text in the converted components`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
