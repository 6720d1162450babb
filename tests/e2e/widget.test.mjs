// The demo page in real Chromium with the real wasm engine: upload the Olist-derived and the Shopify
// fixtures, compare what the widget renders (and the Decision it emits) with the native CLI's
// Decision for the same file, move a what-if control, switch language, check that no request left
// the page beyond its own static files, reload offline, and save screenshots to test-results/.
//
// Run: npm run build:www && npm run test:e2e   (scripts/test.d/60-widget.sh does both)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, watchRequests, waitForState, readResult, ROOT, DIST, RESULTS } from './harness.mjs';
import { cliJson } from './cli.mjs';

const FIX = path.join(ROOT, 'tests', 'fixtures', 'widget');
const FIXTURES = [
  { name: 'olist', file: path.join(FIX, 'olist-seller.csv'), preset: 'generic' },
  { name: 'shopify', file: path.join(FIX, 'shopify-orders.csv'), preset: 'shopify' },
];
const W = 'merchant-credit-precheck';

let srv, browser, page, requests;
const estimates = [];

before(async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  srv = await serve(DIST);
  browser = await launch();
  requests = watchRequests(browser.context, srv.origin);
  page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.exposeFunction('__recordEstimate', (d) => estimates.push(d));
  await page.addInitScript(() => {
    document.addEventListener('estimate', (e) => window.__recordEstimate(e.detail));
  });
  await page.goto(`${srv.origin}/index.html?lang=en`);
  await waitForState(page, W, 'idle');
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

async function upload(file, preset) {
  const n = estimates.length;
  if (await page.$(`${W} #again`)) await page.click(`${W} #again`);
  await page.selectOption(`${W} #preset`, preset ?? 'auto');
  await page.setInputFiles(`${W} #file`, file);
  const state = await waitForState(page, W, ['ready', 'error']);
  if (state === 'error') {
    const msg = await page.$eval(W, (el) => el.shadowRoot.querySelector('.error').textContent);
    assert.fail(`the widget could not evaluate ${file}: ${msg}`);
  }
  while (estimates.length === n) await new Promise((r) => setTimeout(r, 20));
  return estimates[estimates.length - 1];
}

for (const fx of FIXTURES) {
  test(`${fx.name} fixture: the widget shows the CLI's decision, line and reasons`, async () => {
    // Auto-detection must pick the same preset the CLI is told to use.
    const emitted = await upload(fx.file, 'auto');
    const cli = cliJson(['evaluate', fx.file, '--preset', fx.preset, '--currency', 'CNY']);
    // The Decision the widget emitted is the CLI's, field for field (same engine, same bytes).
    assert.deepEqual(emitted, cli);
    const shown = await readResult(page);
    assert.equal(shown.decision, cli.decision);
    assert.equal(shown.line, cli.credit_line.amount);
    assert.deepEqual(shown.reasons, cli.reasons.map((r) => r.code));
    assert.deepEqual(shown.offers, cli.offers.map((o) => o.product));
    assert.deepEqual(shown.policy, cli.policy.map((p) => p.rule));
    assert.match(shown.gauge, new RegExp(`${cli.score}.*${cli.grade}`));
    assert.ok(shown.bars > 3, 'the monthly sales chart has bars');
    const detected = await page.$eval(W, (el) => el.shadowRoot.querySelector('#dq-h').parentElement.textContent);
    assert.match(detected, new RegExp(fx.preset === 'shopify' ? 'Shopify' : 'Generic'));
    await page.screenshot({ path: path.join(RESULTS, `widget-${fx.name}-en.png`), fullPage: true });
  });
}

test('a what-if control recomputes the line instantly', async () => {
  await upload(FIXTURES[1].file, 'shopify');
  const base = await readResult(page);
  const slider = `${W} #wi-avg_monthly_net_sales_3m`;
  assert.ok(await page.$(slider), 'the monthly sales control is there');
  await page.focus(slider);
  const t0 = Date.now();
  await page.keyboard.press('End'); // keyboard operable: the slider to its maximum (3x sales)
  await page.waitForFunction((w) => {
    const d = document.querySelector(w).shadowRoot.querySelector('#scenario .delta');
    return d && Number(d.dataset.delta) !== 0;
  }, W);
  const ms = Date.now() - t0;
  const delta = await page.$eval(W, (el) => Number(el.shadowRoot.querySelector('#scenario .delta').dataset.delta));
  const text = await page.$eval(W, (el) => el.shadowRoot.querySelector('#scenario').textContent);
  console.log(`what-if: line ${base.line} -> +${delta} in ${ms} ms`);
  assert.ok(delta > 0, `more sales raise the line (delta ${delta})`);
  assert.match(text, /Line up by/);
  // The base estimate is unchanged; reset brings the scenario back.
  assert.equal((await readResult(page)).line, base.line);
  await page.click(`${W} #wi-reset`);
  const after0 = await page.$eval(W, (el) => el.shadowRoot.querySelector('#scenario .delta').dataset.delta);
  assert.equal(after0, '0');
});

test('switching to Simplified Chinese translates and reformats', async () => {
  await upload(FIXTURES[1].file, 'shopify');
  const en = await readResult(page);
  await page.selectOption(`${W} #lang`, 'zh-CN');
  await page.waitForFunction((w) => document.querySelector(w).shadowRoot.querySelector('.mc').lang === 'zh-CN', W);
  const zh = await readResult(page);
  assert.equal(zh.decision, en.decision);
  assert.equal(zh.heading, '您的预估结果');
  assert.match(zh.badgeText, /[\u4e00-\u9fff]/);
  assert.ok(zh.reasonTexts.every((t) => /[\u4e00-\u9fff]/.test(t)), 'every reason is in Chinese');
  assert.ok(zh.lineText.includes('¥') && !zh.lineText.includes('CN¥'), `zh-CN currency format: ${zh.lineText}`);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  await page.screenshot({ path: path.join(RESULTS, 'widget-shopify-zh.png'), fullPage: true });
  await page.selectOption(`${W} #lang`, 'en');
});

async function backToStart() {
  if (await page.$(`${W} #again`)) await page.click(`${W} #again`);
}

test('keyboard: controls are reachable by Tab and show a focus ring', async () => {
  await backToStart();
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  const seen = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => {
      const a = document.activeElement;
      const inner = a && a.shadowRoot ? a.shadowRoot.activeElement : null;
      if (!inner) return null;
      const ring = getComputedStyle(inner.id === 'file' ? inner.nextElementSibling : inner).outlineStyle;
      return `${inner.id}:${ring}`;
    }));
  }
  for (const id of ['lang', 'file', 'preset', 'profile', 'sample']) {
    const hit = seen.find((s) => s && s.startsWith(`${id}:`));
    assert.ok(hit, `#${id} is reachable by Tab (${seen.join(', ')})`);
    assert.notEqual(hit.split(':')[1], 'none', `#${id} shows a focus ring`);
  }
});

test('every label is tied to its control', async () => {
  await upload(FIXTURES[0].file, 'auto');
  const unlabeled = await page.$eval(W, (el) =>
    [...el.shadowRoot.querySelectorAll('input, select, button')]
      .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.textContent.trim())
      .map((c) => c.id || c.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabeled, []);
});

test('no request left the page beyond its own static files', async () => {
  const offsite = requests.offsite();
  assert.deepEqual(offsite, [], 'requests to other origins');
  const files = new Set(fs.readdirSync(DIST));
  const own = requests.seen.filter((r) => r.url.startsWith(`${srv.origin}/`));
  for (const r of own) {
    const p = new URL(r.url).pathname.slice(1) || 'index.html';
    assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
    assert.ok(files.has(p), `${r.url} is one of the site's files`);
  }
  // The server saw no upload either.
  assert.ok(srv.requests.every((r) => r.method === 'GET' && r.bytes === 0), JSON.stringify(srv.requests.filter((r) => r.method !== 'GET')));
});

test('sample store: the synthetic store is scored in the browser', async () => {
  await backToStart();
  await page.selectOption(`${W} #profile`, 'healthy');
  await page.click(`${W} #sample`);
  assert.equal(await waitForState(page, W, ['ready', 'error']), 'ready');
  const shown = await readResult(page);
  assert.ok(['approve', 'refer', 'decline'].includes(shown.decision));
});

test('works offline after the first load (service worker)', async () => {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await browser.context.setOffline(true);
  try {
    await page.reload();
    await waitForState(page, W, 'idle');
    const before = srv.requests.length;
    await upload(FIXTURES[1].file, 'auto');
    assert.equal((await readResult(page)).decision.length > 0, true);
    assert.equal(srv.requests.length, before, 'nothing reached the server while offline');
  } finally {
    await browser.context.setOffline(false);
  }
});
