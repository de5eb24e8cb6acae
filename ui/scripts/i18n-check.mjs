// The i18n check (`npm run lint`, so `make lint` / `make test`):
//  1. messages: every key of messages/en.json is in da.json and the other way round; sv.json and
//     nb.json have exactly en's keys (a value equal to the English one is untranslated: allowed,
//     counted); a message's {parameters} are the same in every language.
//  2. components: no hard-coded user-facing text in a .svelte file under src/: text with letters
//     in the markup, and literal strings in the user-facing attributes (title, placeholder,
//     aria-label, alt, label and the components' text props below) or in a text position of a
//     {…} expression (`{busy ? "Saving…" : "Save"}`). Text goes through `m.key()` instead.
//  3. scripts: no user-facing English in a component's <script> blocks either: a string literal
//     or template string of two or more words (`const TEXT = { title: "Send this casefile?" }`,
//     `\`Pick ${who} for comparison\``), or one capitalised word as an object's value
//     (`{ light: "Light" }`). Left alone: imports, object keys, TypeScript types, comparisons and
//     `case` labels, and the arguments of console/Error/DOM/storage calls (selectors, class names,
//     test ids, event names). A rare exception is allowed with `// i18n-ignore` on its line or the
//     line above (for text that is not language: a code sample, an example address).
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

/** Methods whose string arguments are never shown (selectors, attribute and event names, keys). */
const NON_TEXT_CALLS = new Set([
  "querySelector",
  "querySelectorAll",
  "closest",
  "matches",
  "getElementById",
  "getElementsByClassName",
  "getAttribute",
  "setAttribute",
  "removeAttribute",
  "hasAttribute",
  "toggleAttribute",
  "addEventListener",
  "removeEventListener",
  "getItem",
  "setItem",
  "removeItem",
  "getPropertyValue",
  "setProperty",
  "createElement",
  "postMessage",
  "dispatchEvent",
  "matchMedia",
]);
/** Objects whose methods take no text for the user (console.log, classList.add, …). */
const NON_TEXT_OBJECTS = new Set(["console", "classList", "localStorage", "sessionStorage", "dataset", "style"]);
/** Constructors whose arguments are for developers (an Error's message is logged, not shown). */
const NON_TEXT_CONSTRUCTORS = /^(?:[A-Z]\w*Error|Error|CustomEvent|Event|KeyboardEvent|MouseEvent|RegExp|URL|Intl\.\w+)$/;

const WORD = /^[\p{L}][\p{L}'’-]*[.,:;!?…)]*$/u;
const PROSE_WORD = /^[("“«»]?[\p{L}][\p{L}'’]*[.,:;!?…)"”«»]*$/u;

/**
 * Whether a script string reads as language: at least two words of letters (a class list such as
 * `btn btn-small` or a selector has at most one), or one capitalised word where `single` allows it.
 */
function looksLikeText(text, single) {
  const t = String(text).trim();
  if (!LETTER.test(t)) return false;
  if (/^[a-z][\w-]*(?:\s+[a-z][\w-]*)*$/.test(t) && /[-_]/.test(t)) return false; // class lists, ids
  if (/[[\]{}=<>#|\\]/.test(t)) return false; // selectors, markup, patterns
  const tokens = t.split(/\s+/);
  const prose = tokens.filter((w) => PROSE_WORD.test(w));
  if (prose.length >= 2) return true;
  return single && tokens.length === 1 && WORD.test(t) && /^\p{Lu}\p{Ll}/u.test(t);
}

function calleeName(callee) {
  if (!callee) return { object: "", name: "" };
  if (callee.type === "Identifier") return { object: "", name: callee.name };
  if (callee.type === "MemberExpression" && !callee.computed) {
    const obj = callee.object;
    const object =
      obj.type === "Identifier"
        ? obj.name
        : obj.type === "MemberExpression" && !obj.computed
          ? `${obj.object.type === "Identifier" ? obj.object.name : ""}.${obj.property.name}`
          : "";
    return { object, name: callee.property.name };
  }
  return { object: "", name: "" };
}

function nonTextCall(node) {
  const { object, name } = calleeName(node.callee);
  const last = object.split(".").pop();
  if (NON_TEXT_OBJECTS.has(object) || NON_TEXT_OBJECTS.has(last)) return true;
  if (node.type === "NewExpression") return NON_TEXT_CONSTRUCTORS.test(object ? `${object}.${name}` : name);
  return NON_TEXT_CALLS.has(name) || name === "Error";
}

/**
 * The user-facing strings of a component's <script> blocks (`ast.instance`, `ast.module`):
 * `[{text, node}]`. See the header (3.) for what is left alone.
 */
function scriptStrings(program, source) {
  const out = [];
  const ignoredLines = new Set();
  source.split("\n").forEach((line, i) => {
    if (/\/\/\s*i18n-ignore|\/\*\s*i18n-ignore/.test(line)) {
      ignoredLines.add(i + 1);
      ignoredLines.add(i + 2);
    }
  });
  const ignored = (node) => ignoredLines.has(lineOf(source, node.start));
  const visit = (node, parent, key) => {
    if (!node || typeof node.type !== "string") return;
    if (node.type.startsWith("TS") && !["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression"].includes(node.type)) return;
    switch (node.type) {
      case "ImportDeclaration":
      case "ExportAllDeclaration":
      case "ImportExpression":
        return;
      case "CallExpression":
      case "NewExpression":
        if (nonTextCall(node)) return;
        break;
      case "BinaryExpression":
        if (["===", "!==", "==", "!=", "in", "instanceof"].includes(node.operator)) return;
        break;
      case "SwitchCase":
        for (const c of node.consequent) visit(c, node, "consequent");
        return;
      case "Property":
        if (node.computed) visit(node.key, node, "key");
        visit(node.value, node, "value");
        return;
      case "MemberExpression":
        visit(node.object, node, "object");
        if (node.computed) visit(node.property, node, "property");
        return;
      case "Literal":
        if (typeof node.value === "string" && !ignored(node)) {
          const single = parent?.type === "Property" && key === "value";
          if (looksLikeText(node.value, single)) out.push({ text: node.value, node });
        }
        return;
      case "TemplateLiteral": {
        if (parent?.type === "TaggedTemplateExpression") return;
        const text = node.quasis.map((q) => q.value.cooked ?? q.value.raw).join("0");
        if (!ignored(node) && looksLikeText(text, false)) out.push({ text, node });
        for (const e of node.expressions) visit(e, node, "expressions");
        return;
      }
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === "parent" || k === "loc" || k === "metadata" || k === "leadingComments" || k === "trailingComments") continue;
      if (Array.isArray(v)) for (const c of v) visit(c, node, k);
      else if (v && typeof v === "object" && typeof v.type === "string") visit(v, node, k);
    }
  };
  visit(program, null, "");
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
  for (const script of [ast.module, ast.instance]) {
    if (!script) continue;
    for (const lit of scriptStrings(script.content, source)) report(lit.text, lit.node, "script");
  }
  return found.sort((a, b) => a.line - b.line);
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
      errors.push(
        `${rel}:${f.line}: hard-coded ${f.where === "text" ? "text" : f.where === "script" ? "script string" : `${f.where} value`} "${f.text}": use a message (m.…()) or, if it is not language, // i18n-ignore`,
      );
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
