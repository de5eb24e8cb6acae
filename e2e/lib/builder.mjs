// Helpers the form-builder journeys run inside the page (one copy for every language): labels
// and buttons are found by their visible words, so a journey reads like what a user clicks.

/**
 * The helpers' source, for `page()`: tick, byLabel, setVal, btn and addField, the latter with
 * the builder's words in the UI's language: `{ newFieldType, addField, label, required }`.
 */
export function builderHelpers(words) {
  const w = JSON.stringify(words);
  return `
  const WORDS = ${w};
  const tick = () => new Promise((r) => setTimeout(r, 60));
  const byLabel = (root, text) => {
    const l = [...root.querySelectorAll('label')].find((x) => x.textContent.trim() === text);
    if (!l) throw new Error('no label ' + text);
    const id = l.getAttribute('for');
    const el = id ? document.getElementById(id) : l.querySelector('input,select,textarea');
    if (!el) throw new Error('label ' + text + ' labels nothing');
    return el;
  };
  const setVal = async (el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
    await tick();
  };
  const btn = (root, text) => {
    const b = [...root.querySelectorAll('button')].find((x) => x.textContent.trim() === text);
    if (!b) throw new Error('no button ' + text);
    return b;
  };
  const addField = async (sec, type, label, required) => {
    await setVal(byLabel(sec, WORDS.newFieldType), type);
    btn(sec, WORDS.addField).click();
    await tick();
    const fields = [...sec.querySelectorAll('[data-testid="builder-field"]')];
    const f = fields[fields.length - 1];
    await setVal(byLabel(f, WORDS.label), label);
    if (required) {
      const box = [...f.querySelectorAll('label.check')].find((l) => l.textContent.trim() === WORDS.required).querySelector('input');
      if (!box.checked) { box.click(); await tick(); }
    }
    return f;
  };
`;
}

/** Runs `body` (async JS using `helpers`) in the page of `app`; returns its value or throws its error. */
export function pageRunner(app, helpers) {
  return async (body) => {
    const out = await app.session.executeAsync(
      `const done = arguments[arguments.length - 1];
     (async () => { ${helpers} ${body} })().then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ error: String(e && e.stack || e) }));`,
    );
    if (out && out.error) throw new Error(out.error);
    return out?.ok;
  };
}
