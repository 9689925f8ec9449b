import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Call } from './http-call';

const root = join(__dirname, '..', '..');

/** Debian's chromium (scripts/lib/install.mjs installs it); CHROMIUM overrides. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Where the screenshots of every page go (git-ignored). */
export const SCREENSHOTS = join(root, 'test-output', 'console-screenshots');

/** The built console the API serves; built here if `npm test` (which builds it first) did not. */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(root, 'dist', 'console', 'index.html'))) return;
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('building the console failed');
}

/**
 * Headless Chromium as the machine's probe runs it: without the background-networking flags it
 * tries Google's hosts at every start, and this machine's closed network refuses them.
 */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run \`npm test\` (it installs Debian's chromium) or set CHROMIUM`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A phone: 360 px wide, as in a village. */
export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(60_000);
  return context;
}

/** Content-Security-Policy violations a page reports: the console must cause none. */
export function watchCsp(page: Page, into: string[]): void {
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) into.push(`${page.url()}: ${msg.text()}`);
  });
}

const axeSource = (): string => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, which the page's CSP does
 * not govern, so the page keeps its real policy) and returns the serious and critical violations.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource());
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A full-page screenshot named after the page, then the accessibility check. */
export async function capture(page: Page, name: string): Promise<AxeViolation[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  return seriousViolations(page);
}

/** Accessibility problems in words, for a failing expectation. */
export const describeViolations = (vs: AxeViolation[]): string[] =>
  vs.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

/** Gives each demo user the password the browser tests log in with, as the county's administrator would. */
export async function givePasswords(call: Call, users: readonly string[], password: string): Promise<void> {
  for (const u of users) {
    const r = await call('POST', `/users/${u}/password`, { as: 'county-admin', body: { password } });
    if (r.status >= 300) throw new Error(`setting ${u}'s password: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** Fills in and sends the log-in form on `page` (at /login) and waits until the console has left it. */
export async function submitLogin(page: Page, userId: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(userId);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
