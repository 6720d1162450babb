// The demo page: the widget, page text that follows the widget's language, an event log, and the
// offline service worker.

import './precheck.js';

const PAGE = {
  en: {
    tagline: 'Seller financing pre-check · demo',
    intro: 'Drop your store’s order export to see, instantly, what financing you could get, why, and how to raise it. The file is processed in your browser only.',
    h1: 'Your data stays in this browser',
    p1: 'Parsing and scoring run in a Web Worker on this page, with WebAssembly. The page sends no store data to any server, and works offline after the first visit.',
    h2: 'Same engine, same answer',
    p2: 'The lender’s server runs the same engine. Every estimate carries a receipt (digests of data, model and result) that the official check compares byte for byte.',
    h3: 'Events for host pages',
    p3: 'The host page receives estimate and apply events:',
    foot: 'Demo page · the estimate is advisory; the lender makes the final decision.',
    title: 'merchant-credit · Financing pre-check',
  },
  'zh-CN': {
    tagline: '卖家融资预评估 · 演示',
    intro: '上传店铺的订单导出文件，立即查看可能获得的融资额度、原因，以及如何提高额度。文件只在您的浏览器中处理。',
    h1: '数据不离开浏览器',
    p1: '解析和评分在本页的 Web Worker 中用 WebAssembly 完成。页面不向任何服务器发送店铺数据；首次加载后可离线使用。',
    h2: '同一引擎，同一结果',
    p2: '资金方服务器运行同一个引擎。每个预估都带有凭证（数据、模型和结果的摘要），正式审批时可逐字节核对。',
    h3: '嵌入事件',
    p3: '宿主页面会收到 estimate 和 apply 事件：',
    foot: '演示页面 · 结果仅供参考，最终以资金方审批为准。',
    title: 'merchant-credit · 融资预评估',
  },
};

const widget = document.getElementById('precheck');
const params = new URLSearchParams(location.search);
// ?endpoint=/api makes the official check POST to a same-origin server (the dev server proxies /v1).
if (params.get('endpoint') != null) widget.setAttribute('endpoint', params.get('endpoint'));
if (params.get('lang')) widget.setAttribute('locale', params.get('lang'));

function applyPageLocale() {
  const loc = widget.locale;
  const t = PAGE[loc] || PAGE.en;
  document.documentElement.lang = loc;
  document.title = t.title;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t[el.dataset.i18n];
}
new MutationObserver(applyPageLocale).observe(widget, { attributes: true, attributeFilter: ['locale'] });
applyPageLocale();

const log = document.getElementById('log');
function note(line) {
  log.textContent = `${line}\n${log.textContent}`.slice(0, 2000);
}
widget.addEventListener('estimate', (e) => {
  const d = e.detail;
  note(`estimate  ${d.decision} · ${d.grade} · ${d.credit_line.amount} ${d.credit_line.currency}`);
});
widget.addEventListener('apply', (e) => note(`apply     receipt ${e.detail.receipt.decision_sha256.slice(0, 12)}…`));

if ('serviceWorker' in navigator && location.protocol !== 'file:' && !params.has('nosw')) {
  navigator.serviceWorker.register('sw.js').catch(() => {});
}
