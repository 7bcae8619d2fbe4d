/**
 * Opens an HTML file in a real browser: Debian's chromium driven by playwright-core (no browser
 * download; CHROMIUM_PATH overrides the path). Reports what a person would meet: console errors,
 * page errors, every request the page made (a self-contained report makes none but its own file),
 * the drawn marks of every chart, the section headings; and keeps a screenshot under
 * test-artifacts/ (CI keeps that folder). A missing browser fails the test, it never skips.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { root } from './dist.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifacts = join(root, 'test-artifacts');

export interface PageReport {
  consoleErrors: string[];
  pageErrors: string[];
  /** URLs the page requested besides its own file. */
  requests: string[];
  /** Per <svg>, the number of drawn marks (paths, rects, circles, lines, text of marks). */
  chartMarks: number[];
  /** The text of every <h2>. */
  headings: string[];
  title: string;
  /** The page's visible text. */
  text: string;
}

/**
 * Opens `target` (a file path, or an http(s) URL) and reports on it; `waitFor` is a selector that
 * must appear first (pages that fill themselves in). For an URL, requests to its own origin are
 * not listed (a dashboard polls its server); anything else is.
 */
export async function openInBrowser(target: string, screenshot: string, opts: { waitFor?: string } = {}): Promise<PageReport> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const url = /^https?:/.test(target) ? target : pathToFileURL(target).href;
    const origin = /^https?:/.test(target) ? new URL(target).origin : null;
    const out: PageReport = { consoleErrors: [], pageErrors: [], requests: [], chartMarks: [], headings: [], title: '', text: '' };
    page.on('console', (m) => {
      if (m.type() === 'error') out.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => out.pageErrors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== url && !(origin && new URL(r.url()).origin === origin)) out.requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    if (opts.waitFor) await page.waitForSelector(opts.waitFor, { timeout: 30_000 });
    out.title = await page.title();
    out.text = await page.innerText('body');
    out.headings = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent ?? ''));
    out.chartMarks = await page.$$eval('svg', (svgs) =>
      svgs.map((s) => s.querySelectorAll('g[class*="mark-"] path, g[class*="mark-"] rect, g[class*="mark-"] circle, g[class*="mark-"] line').length),
    );
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, screenshot), fullPage: true });
    return out;
  } finally {
    await browser.close();
  }
}
