// The axe scan of every page (window.test.mjs in English, danish.test.mjs in Danish): each page
// opened and waited for until its content is there, the theme checked, a picture taken, and the
// serious and critical findings collected.
import { axeSerious, describeFindings } from './axe.mjs';
import { Keys } from './webdriver.mjs';

const go = (session, hash) => session.execute(`location.hash = ${JSON.stringify(hash)}`);

/** The pages the scan visits, each opened and waited for until its content is there. */
export const PAGES = [
  ['forms', async (s) => (await go(s, '#/forms'), s.find('[data-testid="server-form-row"]', { timeout: 30_000 }))],
  [
    'form-builder',
    async (s) => {
      await go(s, '#/forms');
      await (await s.find('[data-testid="open-form"]', { timeout: 30_000 })).click();
      await s.find('[data-testid="save-form"]', { timeout: 20_000 });
    },
  ],
  ['casefiles', async (s) => (await go(s, '#/casefiles'), s.find('[data-testid="casefile-search"]', { timeout: 30_000 }))],
  [
    'casefile-editor',
    async (s) => {
      await go(s, '#/casefiles');
      await s.find('[data-testid="page-casefiles"]');
      await s.chord(Keys.CONTROL, 'n');
      await s.find('[data-testid="casefile-language"]', { timeout: 20_000 });
    },
  ],
  ['submissions', async (s) => (await go(s, '#/submissions'), s.find('[data-testid="submission-row"]', { timeout: 60_000 }))],
  ['settings', async (s) => (await go(s, '#/settings'), s.find('[data-testid="settings-appearance"]'))],
];

/**
 * Scans every page of `app` (from startApp) in `theme`, which must already be applied; `screen`
 * (optional) also takes the whole X screen. Returns one text per page with findings.
 */
export async function scanEveryPage(app, theme, { prefix = theme, screen } = {}) {
  const found = [];
  for (const [name, open] of PAGES) {
    await open(app.session);
    await app.session.waitFor(
      async () => (await app.session.execute('return document.documentElement.dataset.theme')) === theme,
      `the ${theme} theme`,
    );
    await app.shot(`${prefix}-${name}.png`);
    screen?.(`${prefix}-${name}.png`);
    const findings = await axeSerious(app.session);
    if (findings.length) found.push(`${name} (${theme}):\n${describeFindings(findings)}`);
  }
  return found;
}

/** Picks a theme in Settings and waits until the page has it. */
export async function chooseTheme(app, theme) {
  await go(app.session, '#/settings');
  await (await app.session.find(`[data-testid="theme-${theme}"]`)).click();
  await app.session.waitFor(
    async () => (await app.session.execute('return document.documentElement.dataset.theme')) === theme,
    `the ${theme} theme to apply`,
  );
}
