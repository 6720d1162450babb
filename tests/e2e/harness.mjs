// Shared harness for the widget's browser tests and benchmark: a tiny static server for www/dist on
// 127.0.0.1 (ephemeral port) that records every request, and Debian's Chromium through
// playwright-core (no browser download; see ../shared/TOOLCHAIN.md).

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'www', 'dist');
export const RESULTS = path.join(ROOT, 'test-results');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Starts a static server for `dir`. `routes` maps "METHOD /path" to a handler (req, res, body). */
export async function serve(dir = DIST, routes = {}) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: run \`npm run build:www\` first`);
  }
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method, path: url.pathname, bytes: body.length });
      const route = routes[`${req.method} ${url.pathname}`];
      if (route) return route(req, res, body);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      let rel = decodeURIComponent(url.pathname);
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.join(dir, path.normalize(rel));
      if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
      fs.createReadStream(file).pipe(res);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, requests, close: () => new Promise((r) => server.close(r)) };
}

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** Launches Debian's Chromium with a fresh profile. Returns { context, close }. */
export async function launch(options = {}) {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`${executablePath} not found: apt-get install chromium (scripts/setup.sh does)`);
  const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mc-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1180, height: 900 },
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await fsp.rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Collects every request the page (and its workers) makes; `offsite()` lists those not to `origin`. */
export function watchRequests(context, origin) {
  const seen = [];
  context.on('request', (r) => seen.push({ url: r.url(), method: r.method(), post: r.postData() }));
  return {
    seen,
    offsite: () => seen.filter((r) => !r.url.startsWith(`${origin}/`) && !r.url.startsWith('data:') && !r.url.startsWith('blob:')),
  };
}

/** Waits until the widget is in `state` (idle | loading | ready | error) and returns it. */
export async function waitForState(page, selector, states, timeout = 120_000) {
  const want = Array.isArray(states) ? states : [states];
  await page.waitForFunction(
    ([sel, w]) => {
      const el = document.querySelector(sel);
      // "ready" also waits for the details the widget loads after the estimate (the monthly chart).
      return el && w.includes(el.dataset.state) && !(el.dataset.state === 'ready' && el.dataset.details === 'loading');
    },
    [selector, want],
    { timeout, polling: 50 },
  );
  return page.$eval(selector, (el) => el.dataset.state);
}

/** Reads what the widget rendered: decision, line, grade, score, reasons, offers. */
export async function readResult(page, selector = 'merchant-credit-precheck') {
  return page.$eval(selector, (el) => {
    const r = el.shadowRoot;
    const q = (s) => r.querySelector(s);
    return {
      decision: q('.badge').dataset.decision,
      badgeText: q('.badge').textContent.trim(),
      line: Number(q('.line').dataset.amount),
      lineText: q('.line').textContent.trim(),
      reasons: [...r.querySelectorAll('ol.reasons li')].map((li) => li.dataset.code),
      reasonTexts: [...r.querySelectorAll('ol.reasons li .msg')].map((s) => s.textContent),
      policy: [...r.querySelectorAll('[data-rule]')].map((li) => li.dataset.rule),
      offers: [...r.querySelectorAll('tr[data-product]')].map((tr) => tr.dataset.product),
      gauge: q('svg.gauge').getAttribute('aria-label'),
      bars: r.querySelectorAll('.chart rect.net').length,
      heading: q('#result-heading').textContent,
    };
  });
}
