// The engine's Web Worker: reads the seller's file, imports and scores it with the wasm engine,
// and answers what-if questions, so the page never freezes on a large export.
//
// Protocol (structured-clone messages; see docs/widget.md):
//   page -> worker  { id, op, ...args }
//     op "init"   { model?: object }                    -> { model: modelInfo }
//     op "file"   { file: Blob, name, preset }          -> Result   (progress messages first)
//     op "synth"  { profile, seed?, orders? }           -> Result
//     op "whatIf" { changes }                           -> { scenario, delta, changed }
//     op "details" {}                                   -> { series, orders } (after a CSV estimate)
//     op "store"  {}                                    -> { json: string } (the current StoreData)
//   worker -> page  { id, progress: { phase, done, total } }
//                   { id, ok: true, result }  |  { id, ok: false, error: { message, code, path } }
// Result = { decision, series, import: { preset, report } | null, orders, currency }
//
// A CSV file is scored by `evaluateCsv` (one pass: import and evaluate inside wasm), so the estimate
// comes back as soon as it can; its `series` is then null and the page asks for "details" next,
// which imports the kept bytes again with `importCsv` to get the StoreData (for the monthly chart,
// what-if and the official check). Any op that needs the store runs that import first.
//
// The store stays in the worker: only the decision, the monthly series and the import report cross
// to the page. Nothing here makes a network request.

import { monthlySeries } from './monthly.js';
import { warmUp } from './warmup.mjs';

// The wasm module loads asynchronously; the message handler must exist from the first tick, or the
// page's first messages would arrive before it and be lost. So the engine is a dynamic import that
// every operation awaits.
const wasmReady = import('merchant-credit-wasm');
let Engine = null;

let engine = null;
// The current store, as an object (for the monthly series) and as JSON text: the form the engine
// reads fastest (one native JSON parse in wasm instead of a walk over the JS object), so every
// what-if on a large store costs the engine's work and not a conversion of the orders.
let store = null;
let storeJson = null;
// The last CSV file's bytes and import arguments until its store has been imported.
let pendingCsv = null;
// Largest CSV whose store is imported for the chart, what-if and the official check. Its StoreData
// JSON is about twice the CSV, and the engine reads at most 64 Mi characters of JSON text in the
// browser (what-if, evaluate), so a larger store could not be used anyway; importing it would only
// hold hundreds of MB in the tab. The estimate itself works up to the engine's CSV limit (256 MiB).
const MAX_DETAIL_BYTES = 30 * 1024 * 1024;

function post(msg) {
  self.postMessage(msg);
}

function errorOf(e) {
  if (e && typeof e === 'object') {
    return { message: String(e.message || e), code: e.code || 'error', path: e.path || '' };
  }
  return { message: String(e), code: 'error', path: '' };
}

function ensureEngine() {
  if (!engine) {
    engine = new Engine();
    warmUp(engine);
  }
  return engine;
}


function looksLikeJson(bytes) {
  for (let i = 0; i < Math.min(bytes.length, 64); i++) {
    const c = bytes[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xef || c === 0xbb || c === 0xbf) continue;
    return c === 0x7b; // '{'
  }
  return false;
}

function setStore(s) {
  store = s;
  storeJson = JSON.stringify(s);
  pendingCsv = null;
}

/** Imports the kept CSV into the store if that has not happened yet. */
function ensureStore() {
  if (!store && pendingCsv) {
    const { bytes, preset, options } = pendingCsv;
    if (bytes.length > MAX_DETAIL_BYTES) {
      throw Object.assign(new Error(`the file is too large (${bytes.length} bytes) for the chart, what-if and official check in the browser`), { code: 'too_large' });
    }
    setStore(ensureEngine().importCsv(bytes, preset, options).store);
  }
  if (!store) throw Object.assign(new Error('no store loaded'), { code: 'state' });
  return store;
}

function result(decision, importInfo) {
  return {
    decision,
    series: monthlySeries(store),
    import: importInfo,
    orders: Array.isArray(store.orders) ? store.orders.length : 0,
    currency: store.currency,
  };
}

const ops = {
  init({ model }) {
    engine = model ? new Engine(model) : new Engine();
    // after the answer, so the page shows the model at once; the seller's first request waits
    // for the warm-up (worker messages run in order)
    const eng = engine;
    setTimeout(() => warmUp(eng), 0);
    return { model: engine.modelInfo() };
  },

  async file({ file, preset, options }, progress) {
    const eng = ensureEngine();
    const total = file.size;
    progress({ phase: 'read', done: 0, total });
    const bytes = new Uint8Array(await file.arrayBuffer());
    progress({ phase: 'read', done: total, total });
    if (preset === 'json' || ((!preset || preset === 'auto') && looksLikeJson(bytes))) {
      const text = new TextDecoder('utf-8').decode(bytes);
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw Object.assign(new Error(`not valid JSON: ${e.message}`), { code: 'json', path: '' });
      }
      progress({ phase: 'score', done: 0, total: 1 });
      const decision = eng.evaluate(text);
      store = parsed;
      storeJson = text;
      pendingCsv = null;
      return result(decision, { preset: 'json', report: null });
    }
    let last = 0;
    const onProgress = (done, totalBytes) => {
      // Throttle: one message per ~1% keeps the page's main thread idle.
      const t = totalBytes || total;
      if (done - last >= t / 100 || done >= t) {
        last = done;
        progress({ phase: 'parse', done, total: t });
      }
    };
    const presetArg = !preset || preset === 'auto' ? 'auto' : preset;
    const out = eng.evaluateCsv(bytes, presetArg, { ...(options || {}), progress: onProgress });
    store = null;
    storeJson = null;
    pendingCsv = { bytes, preset: presetArg, options: { ...(options || {}) } };
    return {
      decision: out.decision,
      series: null,
      import: { preset: out.report.preset, report: out.report },
      orders: out.report.orders,
      currency: out.decision.credit_line.currency,
    };
  },

  details() {
    ensureStore();
    return { series: monthlySeries(store), orders: Array.isArray(store.orders) ? store.orders.length : 0 };
  },

  synth({ profile, seed, orders }) {
    const eng = ensureEngine();
    const options = { seed: seed ?? 42 };
    if (orders) options.orders = orders;
    setStore(eng.synth(profile || 'healthy', options));
    const decision = eng.evaluate(storeJson);
    return result(decision, { preset: 'synth', report: null });
  },

  whatIf({ changes }) {
    ensureStore();
    const w = ensureEngine().whatIf(storeJson, changes);
    return { scenario: w.scenario, delta: w.delta, changed: w.changed };
  },

  store() {
    ensureStore();
    return { json: storeJson };
  },
};

self.onmessage = async (ev) => {
  const { id, op, ...args } = ev.data || {};
  try {
    if (!Engine) Engine = (await wasmReady).Engine;
  } catch (e) {
    post({ id, ok: false, error: { message: `the engine failed to load: ${e && e.message}`, code: 'engine_load', path: '' } });
    return;
  }
  const fn = ops[op];
  if (!fn) {
    post({ id, ok: false, error: { message: `unknown op ${op}`, code: 'protocol', path: '' } });
    return;
  }
  try {
    const res = await fn(args, (p) => post({ id, progress: p }));
    post({ id, ok: true, result: res });
  } catch (e) {
    post({ id, ok: false, error: errorOf(e) });
  }
};
