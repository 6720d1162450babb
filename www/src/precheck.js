// <merchant-credit-precheck>: a seller drops a store export and sees a private financing estimate.
//
// Attributes
//   locale    "zh-CN" | "en" (default: the page's <html lang>, else the browser's language)
//   currency  ISO 4217 code used to format amounts until a store says otherwise (default CNY)
//   model     a model URL, or inline model JSON (default: the model embedded in the engine)
//   endpoint  base URL of the authoritative server; the store is POSTed to `${endpoint}/v1/verify`
//             only when the seller clicks "Request the official check"
//   sample    "off" hides the "try a sample store" choice
//   merchant-id, opened-on, as-of
//             what the host knows about the store, passed to the CSV import (defaults: `merchant`,
//             the first order's date, the latest date in the file)
// Events (bubble, composed)
//   estimate  detail: the Decision (every new estimate, not what-if scenarios)
//   apply     detail: { decision, receipt, getStore(): Promise<StoreData> }; cancelable: a host page
//             that calls preventDefault() handles the official check itself
//   mc-error  detail: { message, code, path }
// Properties and methods: .decision, .evaluateFile(file, preset?), .loadSample(profile?), .locale
//
// The element creates its own Web Worker (the engine runs there) as soon as it is connected, so after
// the page has loaded nothing more is fetched: the estimate works offline.

import { CSS } from './styles.js';
import { STRINGS, LOCALES, pickLocale, formatters } from './i18n.js';
import { gaugeSvg, salesChartSvg } from './charts.js';
import { esc } from './util.js';

const PROFILES = ['healthy', 'growing', 'seasonal', 'declining', 'new', 'wash_trading', 'delinquent'];
const PRESETS = ['auto', 'shopify', 'olist', 'generic', 'json'];
// The default model's grade cut-offs (tools/gen_default_model.py), for the gauge when the model
// itself is not in the page (modelInfo gives the grade names only).
const DEFAULT_CUTS = [
  { grade: 'A', min_score: 640 }, { grade: 'B', min_score: 610 }, { grade: 'C', min_score: 585 },
  { grade: 'D', min_score: 560 }, { grade: 'E', min_score: 540 }, { grade: 'F' },
];

// The what-if drivers: a feature of the decision, its slider range, and how to show its value.
const DRIVERS = [
  { feature: 'refund_rate_90d', min: 0, max: 0.3, step: 0.005, fmt: 'pct', better: 'down' },
  { feature: 'on_time_ship_rate_90d', min: 0.5, max: 1, step: 0.01, fmt: 'pct', better: 'up' },
  { feature: 'avg_rating_180d', min: 1, max: 5, step: 0.1, fmt: 'rating', better: 'up' },
  { feature: 'avg_monthly_net_sales_3m', min: 0, max: null, step: null, fmt: 'money', better: 'up' },
  { feature: 'repeat_buyer_share', min: 0, max: 0.6, step: 0.01, fmt: 'pct', better: 'up' },
  { feature: 'dispute_rate_90d', min: 0, max: 0.05, step: 0.001, fmt: 'pct2', better: 'down' },
];

let seq = 0;

const lockIcon = '<svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 1a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V11a2 2 0 0 0-2-2h-1V6a5 5 0 0 0-5-5Zm-3 8V6a3 3 0 1 1 6 0v3H9Z"/></svg>';

export class MerchantCreditPrecheck extends HTMLElement {
  static get observedAttributes() {
    return ['locale', 'currency', 'model', 'endpoint', 'sample', 'merchant-id', 'opened-on', 'as-of'];
  }

  constructor() {
    super();
    this._root = this.attachShadow({ mode: 'open' });
    this._worker = null;
    this._pending = new Map();
    this._state = { phase: 'idle', progress: null, error: null, result: null, whatIf: null, official: null };
    this._values = {}; // what-if slider values by feature
    this._whatIfBusy = false;
    this._whatIfQueued = null;
    this._profile = 'healthy';
    this._preset = 'auto';
    this._ready = null;
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  connectedCallback() {
    if (!this._worker) this._startWorker();
    this._render();
  }

  disconnectedCallback() {
    // Keep the worker when the element is only moved; end it when it is really gone.
    queueMicrotask(() => {
      if (!this.isConnected && this._worker) {
        this._worker.terminate();
        this._worker = null;
        this._ready = null;
      }
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    if (name === 'model' && this._worker) {
      this._ready = this._initEngine();
    }
    this._render();
  }

  // ---- public API -------------------------------------------------------------------------------

  get locale() {
    const attr = this.getAttribute('locale');
    return pickLocale(attr || document.documentElement.lang || navigator.language);
  }
  set locale(v) {
    this.setAttribute('locale', pickLocale(v));
  }
  /** The last estimate's Decision, or null. */
  get decision() {
    return this._state.result ? this._state.result.decision : null;
  }
  /** Scores a File or Blob (CSV or JSON). Resolves with the Decision. */
  evaluateFile(file, preset) {
    return this._run('file', { file, name: file.name || '', preset: preset || this._preset, options: this._importOptions() });
  }
  /** Scores a synthetic sample store of the given profile. Resolves with the Decision. */
  loadSample(profile) {
    return this._run('synth', { profile: profile || this._profile, seed: 7 });
  }

  /** CSV import options from the attributes (what a seller center knows about the store). */
  _importOptions() {
    const o = {};
    const put = (key, attr) => {
      const v = (this.getAttribute(attr) || '').trim();
      if (v) o[key] = v;
    };
    put('currency', 'currency');
    put('merchant_id', 'merchant-id');
    put('opened_on', 'opened-on');
    put('as_of', 'as-of');
    return o;
  }

  // ---- worker -----------------------------------------------------------------------------------

  _startWorker() {
    this._worker = new Worker(new URL('./worker.js', import.meta.url), { name: 'merchant-credit-engine' });
    this._worker.onmessage = (ev) => {
      const { id, progress, ok, result, error } = ev.data;
      const p = this._pending.get(id);
      if (!p) return;
      if (progress) {
        p.onProgress && p.onProgress(progress);
        return;
      }
      this._pending.delete(id);
      if (ok) p.resolve(result);
      else p.reject(Object.assign(new Error(error.message), { code: error.code, path: error.path }));
    };
    this._worker.onerror = (ev) => {
      const err = Object.assign(new Error(ev.message || 'the engine failed to start'), { code: 'worker' });
      for (const p of this._pending.values()) p.reject(err);
      this._pending.clear();
    };
    this._ready = this._initEngine();
  }

  _call(op, args, onProgress) {
    const id = ++seq;
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject, onProgress });
      this._worker.postMessage({ id, op, ...args });
    });
  }

  async _initEngine() {
    const src = (this.getAttribute('model') || '').trim();
    let model;
    if (src.startsWith('{')) {
      model = JSON.parse(src);
    } else if (src) {
      // A model URL configured by the host page. This request carries no store data.
      const res = await fetch(src, { credentials: 'same-origin' });
      if (!res.ok) throw Object.assign(new Error(`model ${src}: HTTP ${res.status}`), { code: 'model_fetch' });
      model = await res.json();
    }
    this._model = model || null;
    const info = await this._call('init', { model });
    this._modelInfo = info.model;
    return info.model;
  }

  async _run(op, args) {
    if (!this._worker) this._startWorker();
    performance.mark('mc-start');
    this._t0 = performance.now();
    this._state = { ...this._state, phase: 'loading', progress: { phase: op === 'file' ? 'read' : 'score', done: 0, total: 1 }, error: null, official: null };
    this._render();
    try {
      await this._ready;
      const result = await this._call(op, args, (p) => this._onProgress(p));
      this._values = {};
      this._state = { ...this._state, phase: 'ready', progress: null, result, whatIf: null };
      this._render();
      const ms = performance.now() - this._t0;
      performance.mark('mc-rendered');
      this.dataset.elapsedMs = ms.toFixed(1);
      this.dispatchEvent(new CustomEvent('estimate', { detail: result.decision, bubbles: true, composed: true }));
      const focusTarget = this._root.querySelector('#result-heading');
      if (focusTarget) focusTarget.focus({ preventScroll: false });
      if (result.series === null) this._loadDetails(result);
      else this._detailsDone();
      return result.decision;
    } catch (e) {
      const error = { message: e.message, code: e.code || 'error', path: e.path || '' };
      this._state = { ...this._state, phase: 'error', progress: null, error };
      this._render();
      this.dispatchEvent(new CustomEvent('mc-error', { detail: error, bubbles: true, composed: true }));
      throw e;
    }
  }

  /**
   * After a CSV estimate: the worker imports the store (monthly chart, what-if, official check)
   * while the seller already reads the estimate. `data-details` is `loading`, then `ready`.
   */
  _loadDetails(result) {
    this.dataset.details = 'loading';
    this._call('details', {})
      .then((d) => {
        result.series = d.series;
        result.orders = d.orders;
      })
      .catch(() => {
        result.series = [];
        result.detailsError = true;
      })
      .finally(() => {
        if (this._state.result !== result) return;
        const chart = this._root.querySelector('.chart');
        if (chart) chart.innerHTML = this._chartInner(result);
        this._detailsDone();
      });
  }

  _detailsDone() {
    this.dataset.details = 'ready';
    performance.mark('mc-complete');
  }

  _chartInner(result) {
    const t = this._t();
    const f = this._f(result.decision.credit_line.currency);
    const body = result.series === null
      ? `<p class="muted small" role="status">${esc(t.chartLoading)}</p>`
      : result.detailsError ? `<p class="muted">${esc(t.chartUnavailable)}</p>` : salesChartSvg(result.series, f, t);
    return `<h3 id="sal-h">${esc(t.sales)}</h3>${body}`;
  }

  _onProgress(p) {
    this._state.progress = p;
    const fill = this._root.querySelector('.progress .fill');
    const bar = this._root.querySelector('.progress [role=progressbar]');
    const label = this._root.querySelector('.progress .label');
    if (!fill) return;
    const t = this._t();
    const frac = p.total ? Math.min(1, p.done / p.total) : 0;
    // Reading is the first tenth, parsing and scoring the rest.
    const overall = p.phase === 'read' ? frac * 0.1 : p.phase === 'parse' ? 0.1 + frac * 0.85 : 0.95;
    fill.style.width = `${(overall * 100).toFixed(1)}%`;
    bar.setAttribute('aria-valuenow', String(Math.round(overall * 100)));
    label.textContent = p.phase === 'read' ? t.reading : t.scoring;
  }

  // ---- what-if ----------------------------------------------------------------------------------

  _driverRange(d, base) {
    if (d.feature === 'avg_monthly_net_sales_3m') {
      const b = typeof base === 'number' && base > 0 ? base : 10000;
      const max = niceCeil(b * 3);
      return { min: 0, max, step: niceCeil(max / 200) };
    }
    const max = typeof base === 'number' ? Math.max(d.max, base) : d.max;
    const min = typeof base === 'number' ? Math.min(d.min, base) : d.min;
    return { min, max, step: d.step };
  }

  _onSlider(feature, value) {
    this._values[feature] = value;
    const out = this._root.querySelector(`output[for="wi-${feature}"]`);
    if (out) out.textContent = this._fmtDriver(DRIVERS.find((d) => d.feature === feature), value);
    this._requestWhatIf();
  }

  _changes() {
    const base = this._state.result.decision.features;
    const features = {};
    for (const [k, v] of Object.entries(this._values)) {
      if (v !== base[k]) features[k] = v;
    }
    return { features };
  }

  _requestWhatIf() {
    // Coalesce: while one what-if runs, keep only the newest request.
    if (this._whatIfBusy) {
      this._whatIfQueued = true;
      return;
    }
    this._whatIfBusy = true;
    this._whatIfQueued = false;
    const changes = this._changes();
    const done = () => {
      this._whatIfBusy = false;
      if (this._whatIfQueued) this._requestWhatIf();
    };
    if (Object.keys(changes.features).length === 0) {
      this._state.whatIf = null;
      this._renderScenario();
      done();
      return;
    }
    this._call('whatIf', { changes })
      .then((w) => {
        this._state.whatIf = w;
        this._renderScenario();
      })
      .catch((e) => {
        this._state.whatIf = { error: e.code === 'too_large' ? this._t().whatIfTooLarge : e.message };
        this._renderScenario();
      })
      .finally(done);
  }

  _resetWhatIf() {
    this._values = {};
    this._state.whatIf = null;
    const base = this._state.result.decision.features;
    for (const input of this._root.querySelectorAll('.whatif input[type=range]')) {
      const f = input.dataset.feature;
      input.value = String(base[f]);
      const d = DRIVERS.find((x) => x.feature === f);
      this._root.querySelector(`output[for="wi-${f}"]`).textContent = this._fmtDriver(d, base[f]);
    }
    this._renderScenario();
  }

  // ---- official check ---------------------------------------------------------------------------

  async _apply() {
    const decision = this.decision;
    if (!decision) return;
    const getStore = () => this._call('store', {}).then((r) => JSON.parse(r.json));
    const ev = new CustomEvent('apply', { detail: { decision, receipt: decision.receipt, getStore }, bubbles: true, composed: true, cancelable: true });
    const proceed = this.dispatchEvent(ev);
    const endpoint = (this.getAttribute('endpoint') || '').trim().replace(/\/+$/, '');
    if (!proceed || !endpoint) {
      this._state.official = { status: 'sent' };
      this._renderOfficial();
      return;
    }
    this._state.official = { status: 'running' };
    this._renderOfficial();
    try {
      // The only request that ever carries store data, and only because the seller clicked.
      const { json } = await this._call('store', {});
      const body = `{"store":${json},"receipt":${JSON.stringify(decision.receipt)}}`;
      const res = await fetch(`${endpoint}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: 'omit' });
      const out = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error((out && out.error && out.error.message) || out.message || `HTTP ${res.status}`);
      this._state.official = { status: out.match ? 'match' : 'differs', result: out };
    } catch (e) {
      this._state.official = { status: 'error', message: e.message };
    }
    this._renderOfficial();
  }

  // ---- rendering --------------------------------------------------------------------------------

  _t() {
    return STRINGS[this.locale];
  }
  _f(currency) {
    const c = currency || (this._state.result && this._state.result.decision.credit_line.currency) || this.getAttribute('currency') || 'CNY';
    return formatters(this.locale, c);
  }
  _fmtDriver(d, v) {
    if (v == null || Number.isNaN(v)) return '—';
    const f = this._f();
    if (d.fmt === 'pct') return f.pct(v);
    if (d.fmt === 'pct2') return f.pct2(v);
    if (d.fmt === 'money') return f.moneyRound(v);
    return f.num(Math.round(v * 10) / 10);
  }

  _render() {
    if (!this._root) return;
    if (!this._sheetDone) {
      this._sheetDone = true;
      // Constructable stylesheets keep the widget working under a strict CSP (no inline <style>).
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        this._root.adoptedStyleSheets = [sheet];
      } catch {
        const style = document.createElement('style');
        style.textContent = CSS;
        this._root.appendChild(style);
      }
    }
    const t = this._t();
    const s = this._state;
    const showSample = this.getAttribute('sample') !== 'off';
    const html = `
<div class="mc" lang="${this.locale}" part="container">
  <div class="top">
    <div>
      <h2 part="title">${esc(t.title)}</h2>
      <p class="muted">${esc(t.subtitle)}</p>
    </div>
    <label class="field">${esc(t.language)}
      <select id="lang">${LOCALES.map((l) => `<option value="${l}"${l === this.locale ? ' selected' : ''}>${l === 'zh-CN' ? '简体中文' : 'English'}</option>`).join('')}</select>
    </label>
  </div>
  <p class="privacy" role="note">${lockIcon}<span>${esc(t.privacy)}</span></p>
  ${s.phase === 'ready' ? this._resultHtml() : this._inputHtml(showSample)}
</div>`;
    this._root.innerHTML = html;
    // adoptedStyleSheets survive innerHTML; a fallback <style> must be put back.
    if (!this._root.adoptedStyleSheets || this._root.adoptedStyleSheets.length === 0) {
      const style = document.createElement('style');
      style.textContent = CSS;
      this._root.prepend(style);
    }
    this._wire();
    this.dataset.state = s.phase;
  }

  _inputHtml(showSample) {
    const t = this._t();
    const s = this._state;
    const busy = s.phase === 'loading';
    const pct = 0;
    return `
  <section class="drop" id="drop" aria-labelledby="drop-title">
    <p class="title" id="drop-title">${esc(t.dropTitle)}</p>
    <p class="muted small">${esc(t.dropHint)}</p>
    <div class="actions">
      <span>
        <input class="file sr-only" type="file" id="file" accept=".csv,.tsv,.txt,.json,text/csv,application/json" ${busy ? 'disabled' : ''}>
        <label for="file" class="btn" role="button" aria-disabled="${busy}">${esc(t.chooseFile)}</label>
      </span>
      <label class="field">${esc(t.preset)}
        <select id="preset" ${busy ? 'disabled' : ''}>${PRESETS.map((p) => `<option value="${p}"${p === this._preset ? ' selected' : ''}>${esc(t.presets[p])}</option>`).join('')}</select>
      </label>
    </div>
    ${showSample ? `<div class="sample">
      <span class="muted small">${esc(t.orTry)}</span>
      <label class="field">${esc(t.sampleProfile)}
        <select id="profile" ${busy ? 'disabled' : ''}>${PROFILES.map((p) => `<option value="${p}"${p === this._profile ? ' selected' : ''}>${esc(t.profiles[p])}</option>`).join('')}</select>
      </label>
      <button type="button" class="btn secondary" id="sample" ${busy ? 'disabled' : ''}>${esc(t.trySample)}</button>
    </div>` : ''}
  </section>
  <div class="progress" ${busy ? '' : 'hidden'}>
    <span class="label small muted" aria-live="polite">${esc(s.progress && s.progress.phase === 'read' ? t.reading : t.scoring)}</span>
    <div class="bar" role="progressbar" aria-label="${esc(t.progressLabel)}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct}"><div class="fill"></div></div>
  </div>
  ${s.phase === 'error' ? `<div class="error" role="alert"><strong>${esc(t.errorTitle)}</strong><p>${esc(s.error.message)}</p>${s.error.path ? `<p class="small">${esc(t.errorAt(s.error.path))} <code>${esc(s.error.code)}</code></p>` : ''}</div>` : ''}`;
  }

  _resultHtml() {
    const t = this._t();
    const { decision: d, import: imp, orders } = this._state.result;
    const f = this._f(d.credit_line.currency);
    const cuts = (this._model && this._model.grades) || DEFAULT_CUTS;
    const presetName = imp && imp.preset ? (t.presets[imp.preset] || (imp.preset === 'synth' ? t.trySample : imp.preset)) : '';
    const line = d.credit_line;
    const parts = ['sales_based', 'receivables_based', 'debt_deduction']
      .filter((k) => typeof line[k] === 'number')
      .map((k) => `<div><span class="k">${esc(t.lineParts[k])}</span><span class="v">${esc(f.moneyRound(line[k]))}</span></div>`).join('');
    const offers = d.offers.length
      ? `<table><thead><tr><th scope="col">${esc(t.product)}</th><th scope="col" class="num">${esc(t.amount)}</th><th scope="col" class="num">${esc(t.term)}</th><th scope="col" class="num">${esc(t.fee)}</th><th scope="col" class="num">${esc(t.apr)}</th><th scope="col">${esc(t.repayment)}</th></tr></thead><tbody>
        ${d.offers.map((o) => `<tr data-product="${esc(o.product)}"><th scope="row">${esc(t.products[o.product] || o.product)}<div class="muted small">${esc(t.productHint[o.product] || '')}</div></th>
          <td class="num">${esc(f.moneyRound(o.amount))}</td><td class="num">${esc(t.days(o.term_days))}</td><td class="num">${esc(f.money(o.fee))}</td><td class="num">${esc(f.pct(o.apr))}</td>
          <td>${esc(this._method(o.repayment, f))}</td></tr>`).join('')}</tbody></table>`
      : `<p class="muted">${esc(t.noOffers)}</p>`;
    const reasons = d.reasons.length
      ? `<ol class="reasons">${d.reasons.map((r) => {
          const tr = (r.missing && t.reasonTexts[`${r.code}_missing`]) || t.reasonTexts[r.code];
          return `<li data-code="${esc(r.code)}"><span><span class="msg">${esc(tr ? tr[0] : r.message)}</span>${tr ? `<br><span class="tip">${esc(tr[1])}</span>` : ''}</span><span class="pts">${esc(t.pointsLost(f.num(Math.abs(r.points))))}</span></li>`;
        }).join('')}</ol>`
      : `<p class="muted">${esc(t.reasonsNone)}</p>`;
    const policy = d.policy.length
      ? `<section class="card" aria-labelledby="pol-h"><h3 id="pol-h">${esc(t.policy)}</h3><ul class="plain">${d.policy.map((p) => `<li data-rule="${esc(p.rule)}"><span class="tag ${esc(p.outcome)}">${esc(t.outcome[p.outcome] || p.outcome)}</span><span>${esc(t.policyTexts[p.rule] || p.message)}</span></li>`).join('')}</ul></section>`
      : '';
    const dq = d.data_quality.concat(importNotes(imp, t));
    const dqHtml = dq.length
      ? `<ul class="plain">${dq.map((q) => `<li data-code="${esc(q.code)}"><span class="tag ${esc(q.severity)}">${esc(t.severity[q.severity] || q.severity)}</span><span>${esc((t.dqTexts && t.dqTexts[q.code]) || q.message)}</span></li>`).join('')}</ul>`
      : `<p class="muted">${esc(t.dqNone)}</p>`;
    const whatIf = this._whatIfHtml(d, f);
    return `
  <section aria-labelledby="result-heading" class="result">
    <div class="card summary">
      ${gaugeSvg(d.score, d.grade, cuts, { aria: `${t.score} ${d.score}, ${t.grade} ${d.grade}`, grade: t.grade })}
      <div>
        <h3 id="result-heading" tabindex="-1">${esc(t.estimate)}</h3>
        <span class="badge ${esc(d.decision)}" data-decision="${esc(d.decision)}">${esc(t.decision[d.decision])}</span>
        <p class="muted small" style="margin-top:6px">${esc(t.decisionHint[d.decision])}</p>
        <p class="muted small" style="margin-top:10px">${esc(t.creditLine)}</p>
        <p class="line" data-amount="${esc(line.amount)}">${line.amount > 0 ? esc(f.moneyRound(line.amount)) : esc(t.noLine)}</p>
        <div class="kv">${parts}
          <div><span class="k">${esc(t.pd)}</span><span class="v">${esc(f.pct2(d.pd))}</span></div>
        </div>
      </div>
    </div>
    <div class="grid">
      <section class="card wide" aria-labelledby="off-h"><h3 id="off-h">${esc(t.offers)}</h3>${offers}</section>
      ${whatIf}
      <section class="card" aria-labelledby="rea-h"><h3 id="rea-h">${esc(t.reasons)}</h3>${reasons}</section>
      ${policy}
      <section class="card wide chart" aria-labelledby="sal-h">${this._chartInner(this._state.result)}</section>
      <section class="card" aria-labelledby="dq-h"><h3 id="dq-h">${esc(t.dataQuality)}</h3>
        <p class="muted small" style="margin-bottom:6px">${esc([presetName && t.detected(presetName), orders ? t.orders(f.int(orders)) : ''].filter(Boolean).join(' · '))}</p>${dqHtml}</section>
      <section class="card official" aria-labelledby="ofc-h"><h3 id="ofc-h">${esc(t.officialCheck)}</h3>
        <p class="muted small">${esc(t.officialHint)}</p>
        <div><button type="button" class="btn" id="apply">${esc(t.officialCheck)}</button></div>
        <div class="status" id="official" role="status" aria-live="polite"></div>
      </section>
    </div>
    <div class="foot">
      <button type="button" class="btn secondary" id="again">${esc(t.another)}</button>
      <p class="small muted">${esc(t.advisory)}<br><span>${esc(t.model(d.model.id, d.model.version))}</span> · <code class="digest" title="${esc(t.receipt)}">${esc(d.receipt.decision_sha256.slice(0, 16))}</code></p>
    </div>
  </section>`;
  }

  _method(r, f) {
    const t = this._t();
    const m = t.methods[r.method];
    return m ? m(r, f) : r.method;
  }

  _whatIfHtml(d, f) {
    const t = this._t();
    const ctls = DRIVERS.filter((dr) => typeof d.features[dr.feature] === 'number').map((dr) => {
      const base = d.features[dr.feature];
      const { min, max, step } = this._driverRange(dr, base);
      const v = this._values[dr.feature] ?? base;
      const id = `wi-${dr.feature}`;
      return `<div class="ctl"><label for="${id}">${esc(t.drivers[dr.feature])}</label><output for="${id}">${esc(this._fmtDriver(dr, v))}</output>
        <input type="range" id="${id}" data-feature="${dr.feature}" min="${min}" max="${max}" step="${step}" value="${v}" aria-valuetext="${esc(this._fmtDriver(dr, v))}"></div>`;
    }).join('');
    if (!ctls) return '';
    return `<section class="card whatif" aria-labelledby="wi-h"><h3 id="wi-h">${esc(t.whatIf)}</h3>
      <p class="muted small" style="margin-bottom:10px">${esc(t.whatIfHint)}</p>${ctls}
      <div class="scenario" id="scenario" role="status" aria-live="polite">${this._scenarioInner()}</div>
      <div style="margin-top:8px"><button type="button" class="btn secondary" id="wi-reset">${esc(t.whatIfReset)}</button></div></section>`;
  }

  _scenarioInner() {
    const t = this._t();
    const d = this._state.result.decision;
    const f = this._f(d.credit_line.currency);
    const w = this._state.whatIf;
    if (!w) {
      return `<span class="delta" data-delta="0">${esc(t.lineChange(0, ''))}</span><br><span class="small muted">${esc(f.moneyRound(d.credit_line.amount))} · ${esc(t.grade)} ${esc(d.grade)} · ${esc(t.score)} ${esc(d.score)}</span>`;
    }
    if (w.error) return `<span class="small">${esc(w.error)}</span>`;
    const delta = w.delta.credit_line;
    const cls = delta > 0 ? 'up' : delta < 0 ? 'down' : '';
    const sc = w.scenario;
    return `<span class="delta ${cls}" data-delta="${esc(delta)}" data-amount="${esc(sc.credit_line.amount)}">${esc(t.lineChange(Math.sign(delta), f.moneyRound(Math.abs(delta))))}</span>
      <br><span class="small">${esc(t.lineNow(f.moneyRound(d.credit_line.amount), f.moneyRound(sc.credit_line.amount)))} · ${esc(t.grade)} ${esc(w.delta.grade[0])} → ${esc(w.delta.grade[1])} · ${esc(t.score)} ${esc(d.score)} → ${esc(sc.score)} · ${esc(t.decision[sc.decision])}</span>`;
  }

  _renderScenario() {
    const el = this._root.querySelector('#scenario');
    if (el) el.innerHTML = this._scenarioInner();
  }

  _renderOfficial() {
    const el = this._root.querySelector('#official');
    if (!el) return;
    const t = this._t();
    const o = this._state.official;
    el.className = 'status';
    if (!o) {
      el.textContent = '';
      return;
    }
    if (o.status === 'sent') el.textContent = t.officialSent;
    else if (o.status === 'running') el.textContent = t.officialRunning;
    else if (o.status === 'error') el.textContent = t.officialError(o.message);
    else {
      const r = o.result;
      el.classList.add(o.status);
      const differs = Array.isArray(r.differs) ? r.differs.join(', ') : '';
      const od = r.decision;
      const f = this._f(od && od.credit_line ? od.credit_line.currency : undefined);
      el.innerHTML = `${esc(o.status === 'match' ? t.officialMatch : t.officialDiffers(differs))}${od ? `<br><span class="small">${esc(t.officialDecision)}: ${esc(t.decision[od.decision] || od.decision)} · ${esc(t.grade)} ${esc(od.grade)} · ${esc(f.moneyRound(od.credit_line.amount))}</span>` : ''}`;
    }
  }

  _wire() {
    const $ = (sel) => this._root.querySelector(sel);
    const lang = $('#lang');
    lang.addEventListener('change', () => {
      this.setAttribute('locale', lang.value);
      const again = this._root.querySelector('#lang');
      if (again) again.focus();
    });
    const file = $('#file');
    if (file) {
      file.addEventListener('change', () => {
        if (file.files && file.files[0]) this.evaluateFile(file.files[0]).catch(() => {});
      });
      const label = this._root.querySelector('label[for=file]');
      label.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          file.click();
        }
      });
      label.tabIndex = -1; // the input itself takes focus; its ring is drawn on the label
      const drop = $('#drop');
      drop.addEventListener('dragover', (e) => {
        e.preventDefault();
        drop.classList.add('over');
      });
      drop.addEventListener('dragleave', () => drop.classList.remove('over'));
      drop.addEventListener('drop', (e) => {
        e.preventDefault();
        drop.classList.remove('over');
        const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
        if (f) this.evaluateFile(f).catch(() => {});
      });
    }
    const preset = $('#preset');
    if (preset) preset.addEventListener('change', () => (this._preset = preset.value));
    const profile = $('#profile');
    if (profile) profile.addEventListener('change', () => (this._profile = profile.value));
    const sample = $('#sample');
    if (sample) sample.addEventListener('click', () => this.loadSample().catch(() => {}));
    const again = $('#again');
    if (again) {
      again.addEventListener('click', () => {
        this._state = { ...this._state, phase: 'idle', result: null, whatIf: null, official: null, error: null };
        this._render();
        const f = this._root.querySelector('#file');
        if (f) f.focus();
      });
    }
    for (const input of this._root.querySelectorAll('.whatif input[type=range]')) {
      input.addEventListener('input', () => {
        const dr = DRIVERS.find((x) => x.feature === input.dataset.feature);
        input.setAttribute('aria-valuetext', this._fmtDriver(dr, Number(input.value)));
        this._onSlider(input.dataset.feature, Number(input.value));
      });
    }
    const reset = $('#wi-reset');
    if (reset) reset.addEventListener('click', () => this._resetWhatIf());
    const apply = $('#apply');
    if (apply) apply.addEventListener('click', () => this._apply());
    this._renderOfficial();
  }
}

/** Import-report notes (assumptions, skipped rows) shown next to the engine's data-quality notes. */
function importNotes(imp, t) {
  const r = imp && imp.report;
  if (!r) return [];
  const notes = [];
  for (const n of Array.isArray(r.notes) ? r.notes : []) {
    if (typeof n === 'string') notes.push({ code: 'IMPORT', severity: 'info', message: t.importNote(n) || n });
    else if (n) notes.push({ code: n.code || 'IMPORT', severity: n.severity || 'info', message: n.message || '' });
  }
  const skipped = typeof r.skipped === 'number' ? r.skipped : 0;
  if (skipped > 0) {
    const listed = Array.isArray(r.skipped_rows) ? r.skipped_rows : [];
    const first = listed.slice(0, 3).map((s) => `line ${s.line}${s.column ? ` (${s.column})` : ''}: ${s.reason}`).join('; ');
    notes.push({ code: 'IMPORT_SKIPPED', severity: 'warning', message: t.skipped(skipped, r.rows, first) });
  }
  return notes;
}

function niceCeil(x) {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

if (!customElements.get('merchant-credit-precheck')) {
  customElements.define('merchant-credit-precheck', MerchantCreditPrecheck);
}
