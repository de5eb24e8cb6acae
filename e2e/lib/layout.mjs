// Layout checks the end-to-end tests run in the real window (jsdom lays nothing out).

/**
 * What keeps the select at `css` from showing its options whole, as a list of sentences (empty:
 * nothing). Each option's text, measured in the select's own font, must fit between the left
 * padding and the right padding that holds the app's drawn arrow (the last 1.3rem), so no text
 * runs under the arrow or past the edge; and the select must lie inside the window and inside
 * every ancestor that clips.
 */
export function selectProblems(session, css) {
  return session.execute(
    `const s = document.querySelector(arguments[0]);
     if (!s) return ['no element ' + arguments[0]];
     const cs = getComputedStyle(s);
     const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
     const padL = parseFloat(cs.paddingLeft);
     const padR = parseFloat(cs.paddingRight);
     const room = s.clientWidth - padL - padR;
     const ctx = document.createElement('canvas').getContext('2d');
     ctx.font = cs.fontStyle + ' ' + cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily;
     const out = [];
     if (padR < 1.3 * rem) out.push('right padding ' + padR + 'px leaves no room for the arrow (' + (1.3 * rem) + 'px)');
     for (const o of s.options) {
       const w = ctx.measureText(o.textContent).width;
       if (w > room + 0.5) out.push('"' + o.textContent + '" is ' + w.toFixed(1) + 'px wide, the select has ' + room.toFixed(1) + 'px for it');
     }
     const r = s.getBoundingClientRect();
     if (r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > innerHeight) {
       out.push('outside the window: ' + [r.left, r.top, r.right, r.bottom].map(Math.round) + ' in ' + innerWidth + 'x' + innerHeight);
     }
     for (let a = s.parentElement; a; a = a.parentElement) {
       const ov = getComputedStyle(a);
       if ([ov.overflowX, ov.overflowY].some((v) => v !== 'visible')) {
         const b = a.getBoundingClientRect();
         if (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5) {
           out.push('clipped by ' + a.tagName.toLowerCase() + (a.className ? '.' + String(a.className).split(' ')[0] : ''));
         }
       }
     }
     return out;`,
    [css],
  );
}

/** Runs `fn` with the window's page at `width`×`height` CSS pixels (WebDriver Set Window Rect), then puts the size back. */
export async function atWindowSize(session, width, height, fn) {
  const resize = async (w, h) => {
    const inner = await session.execute('return [innerWidth, innerHeight, outerWidth - innerWidth, outerHeight - innerHeight]');
    await session.cmd('POST', '/window/rect', { width: w + inner[2], height: h + inner[3] });
    await session.waitFor(
      async () => {
        const [iw, ih] = await session.execute('return [innerWidth, innerHeight]');
        return iw === w && ih === h;
      },
      `the window at ${w}x${h}`,
    );
  };
  const [w0, h0] = await session.execute('return [innerWidth, innerHeight]');
  await resize(width, height);
  try {
    return await fn();
  } finally {
    await resize(w0, h0);
  }
}
