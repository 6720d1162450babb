// The custom element inside a plain host page (www/host.html: one <script src>, no framework):
// its events, its theming through CSS custom properties, and the official-check hand-off to the
// real `merchant-credit serve` (when the built binary has the server feature).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import http from 'node:http';
import { serve, launch, watchRequests, waitForState, readResult, ROOT, DIST, RESULTS } from './harness.mjs';
import { startServer, cliJson } from './cli.mjs';

const W = 'merchant-credit-precheck';
const STORE = path.join(ROOT, 'examples', 'store.json');
let srv, browser, page, api, requests;

/** Forwards a POST to the real server (same-origin for the page, as a reverse proxy would). */
function proxyTo(target) {
  return (req, res, body) => {
    const up = http.request(`${target}${req.url}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (r) => {
      res.writeHead(r.statusCode, { 'content-type': r.headers['content-type'] || 'application/json' });
      r.pipe(res);
    });
    up.on('error', (e) => res.writeHead(502).end(String(e)));
    up.end(body);
  };
}

before(async () => {
  api = await startServer().catch((e) => {
    console.error(e.message);
    return null;
  });
  srv = await serve(DIST, api ? { 'POST /v1/verify': proxyTo(api.url) } : {});
  browser = await launch();
  requests = watchRequests(browser.context, srv.origin);
  page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(`${srv.origin}/host.html`);
  await waitForState(page, W, 'idle');
});

after(async () => {
  await browser?.close();
  await srv?.close();
  await api?.stop();
});

test('the element emits estimate with the Decision, and the host page hears it', async () => {
  await page.setInputFiles(`${W} #file`, STORE);
  assert.equal(await waitForState(page, W, ['ready', 'error']), 'ready');
  const events = await page.evaluate(() => window.hostEvents.map((e) => ({ type: e.type, decision: e.detail.decision, line: e.detail.credit_line?.amount, receipt: e.detail.receipt })));
  assert.equal(events.length, 1);
  assert.equal(events[0].type, 'estimate');
  const shown = await readResult(page);
  assert.equal(events[0].decision, shown.decision);
  assert.equal(events[0].line, shown.line);
  assert.match(events[0].receipt.decision_sha256, /^[0-9a-f]{64}$/);
  assert.match(await page.textContent('#events'), /estimate: /);
  assert.equal(await page.$eval(W, (el) => el.decision.decision), shown.decision, 'the .decision property');
  // Same engine, same answer: the Decision in the event is the native CLI's for the same file.
  const detail = await page.evaluate(() => window.hostEvents[0].detail);
  assert.deepEqual(detail, cliJson(['evaluate', STORE]));
});

test('host CSS custom properties theme the shadow root', async () => {
  const bg = await page.$eval(W, (el) => getComputedStyle(el.shadowRoot.querySelector('#apply')).backgroundColor);
  assert.equal(bg, 'rgb(109, 40, 217)');
});

test('apply: always an event; without an endpoint nothing is sent', async () => {
  await page.click(`${W} #apply`);
  await page.waitForFunction(() => window.hostEvents.some((e) => e.type === 'apply'));
  const apply = await page.evaluate(async () => {
    const e = window.hostEvents.find((x) => x.type === 'apply');
    const store = await e.detail.getStore(); // the host can run the official check itself
    return { receipt: e.detail.receipt, decision: e.detail.decision.decision, merchant: store.merchant.id, orders: store.orders.length };
  });
  assert.equal(apply.merchant, 'm-strong-01');
  assert.ok(apply.orders > 1000);
  assert.match(apply.receipt.input_sha256, /^[0-9a-f]{64}$/);
  assert.match(await page.$eval(W, (el) => el.shadowRoot.querySelector('#official').textContent), /host page received/);
  assert.deepEqual(requests.seen.filter((r) => r.method !== 'GET'), []);
});

test('official check: POSTs store + receipt to the endpoint only on click, shows the match', async (t) => {
  if (!api) {
    t.skip('no `merchant-credit` binary with the server feature (set MC_CLI or build with --features server)');
    return;
  }
  await page.$eval(W, (el, origin) => el.setAttribute('endpoint', origin), srv.origin);
  const before = requests.seen.filter((r) => r.method === 'POST').length;
  assert.equal(before, 0, 'nothing posted before the click');
  await page.click(`${W} #apply`);
  await page.waitForFunction((w) => /match|differs/.test(document.querySelector(w).shadowRoot.querySelector('#official').className), W, { timeout: 60_000 });
  const status = await page.$eval(W, (el) => ({ cls: el.shadowRoot.querySelector('#official').className, text: el.shadowRoot.querySelector('#official').textContent }));
  assert.match(status.cls, /match/);
  assert.match(status.text, /matches this estimate/);
  const posts = requests.seen.filter((r) => r.method === 'POST');
  assert.equal(posts.length, 1);
  assert.equal(posts[0].url, `${srv.origin}/v1/verify`);
  const body = JSON.parse(posts[0].post);
  assert.deepEqual(Object.keys(body).sort(), ['receipt', 'store']);
  await page.screenshot({ path: path.join(RESULTS, 'host-official-check.png'), fullPage: true });
});
