// JavaScript tests of the built package (run scripts/build-wasm.sh first): node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Engine, engineVersion } from "../../pkg/node/index.mjs";

const root = new URL("../../", import.meta.url);
const read = (p) => readFileSync(new URL(p, root), "utf8");
const storeText = read("examples/store.json");
const store = JSON.parse(storeText);
const engine = new Engine();

/** Asserts that `fn` throws a MerchantCreditError with this code and path. */
function throwsCode(fn, code, path) {
  let caught;
  try { fn(); } catch (e) { caught = e; }
  assert.ok(caught, `expected a ${code} error`);
  assert.ok(caught instanceof Error, "an Error object");
  assert.equal(caught.name, "MerchantCreditError", String(caught));
  assert.equal(caught.code, code, caught.message);
  if (path !== undefined) assert.equal(caught.path, path, caught.message);
  return caught;
}

test("evaluate returns a plain Decision object equal to the canonical JSON", () => {
  const d = engine.evaluate(store);
  assert.equal(Object.getPrototypeOf(d), Object.prototype);
  assert.ok(["approve", "refer", "decline"].includes(d.decision));
  assert.deepEqual(d, JSON.parse(engine.evaluateJson(storeText)));
  assert.deepEqual(engine.evaluate(storeText), d);
  assert.equal(d.receipt.engine, engineVersion());
  assert.ok(d.reasons.length > 0);
});

test("every example store evaluates, object and text paths agree", () => {
  for (const f of ["declining-seller", "monthly-only", "new-seller", "overdue-seller", "wash-trader"]) {
    const t = read(`examples/${f}.json`);
    assert.deepEqual(engine.evaluate(JSON.parse(t)), JSON.parse(engine.evaluateJson(t)), f);
  }
});

test("errors carry code and path for each kind of bad input", () => {
  const base = () => JSON.parse(storeText);
  const order = (patch) => { const s = base(); Object.assign(s.orders[3], patch); return s; };
  throwsCode(() => engine.evaluateJson("{not json"), "malformed_json");
  throwsCode(() => engine.evaluate({ ...base(), extra: 1 }), "unknown_field", "extra");
  throwsCode(() => engine.evaluate(order({ amount: NaN })), "not_finite", "orders[3].amount");
  throwsCode(() => engine.evaluate(order({ refund_amount: Infinity })), "not_finite", "orders[3].refund_amount");
  throwsCode(() => engine.evaluate(order({ amount: -3 })), "negative_amount", "orders[3].amount");
  throwsCode(() => engine.evaluate(order({ placed_at: "2025-07-02T10:00:00Z" })), "future_date", "orders[3].placed_at");
  throwsCode(() => engine.evaluate(order({ id: store.orders[0].id })), "duplicate_id", "orders[3].id");
  throwsCode(() => engine.evaluate(order({ delivered_at: "2000-01-01T00:00:00Z" })), "date_order", "orders[3].delivered_at");
  throwsCode(() => engine.evaluate({ ...base(), currency: "cny" }), "invalid_currency", "currency");
  throwsCode(() => engine.evaluate({ ...base(), orders: [], monthly: [] }), "empty_history", "");
  throwsCode(() => engine.evaluate({ ...base(), as_of: "30/06/2025" }), "invalid_date", "as_of");
  throwsCode(() => engine.evaluate(order({ amount: () => 1 })), "invalid_value", "orders[3].amount");
  throwsCode(() => engine.evaluate(undefined), "invalid_value", "");
  throwsCode(() => engine.evaluate(42), "malformed_json");
});

// evaluate(object) writes a plain object as JSON with JSON.stringify (js/plain-json.js) and
// falls back to the strict walk for anything JSON.stringify would change quietly; these are the
// strict walk's answers, which a fast path that let such a value through would change.
test("objects JSON.stringify would change get the strict walk's answer", () => {
  const base = () => JSON.parse(storeText);
  const order = (patch) => { const s = base(); Object.assign(s.orders[3], patch); return s; };
  // a Date would become an ISO string through its toJSON, a String object a string
  throwsCode(() => engine.evaluate(order({ placed_at: new Date("2025-06-01T00:00:00Z") })), "malformed_json", "orders[3].placed_at");
  throwsCode(() => engine.evaluate(order({ placed_at: { toJSON: () => "2025-06-01T00:00:00Z" } })), "invalid_value", "orders[3].placed_at.toJSON");
  const boxed = base();
  boxed.merchant.id = new String(boxed.merchant.id);
  throwsCode(() => engine.evaluate(boxed), "invalid_value", "merchant.id");
  // undefined is null, not absent: a required field says so instead of "missing"
  const e = throwsCode(() => engine.evaluate(order({ amount: undefined })), "malformed_json", "orders[3].amount");
  assert.match(e.message, /null/);
  // ... and an optional one is simply not there, lists included (`receivables?: Receivable[]`)
  const withoutRating = base();
  delete withoutRating.orders[3].rating;
  assert.deepEqual(engine.evaluate(order({ rating: undefined })), engine.evaluate(withoutRating));
  const withoutLists = base();
  delete withoutLists.receivables;
  delete withoutLists.liabilities;
  assert.deepEqual(engine.evaluate({ ...withoutLists, receivables: undefined, liabilities: null, monthly: undefined }), engine.evaluate(withoutLists));
  // what the strict walk reads as the same store is the same decision
  const d = engine.evaluate(store);
  const viaMap = base();
  viaMap.merchant = new Map(Object.entries(viaMap.merchant));
  assert.deepEqual(engine.evaluate(viaMap), d);
  class Order { constructor(o) { Object.assign(this, o); } }
  const viaClass = base();
  viaClass.orders = viaClass.orders.map((o) => new Order(o));
  assert.deepEqual(engine.evaluate(viaClass), d);
  const negZero = order({ amount: -0 });
  assert.deepEqual(engine.evaluate(negZero), engine.evaluate(order({ amount: 0 })));
});

test("a plain object is read once, by JSON.stringify (the fast path), not walked again", () => {
  // a getter counts the reads: JSON.stringify reads the property and the replacer checks it
  // (2); the strict walk would read it once more
  const counted = () => {
    const s = JSON.parse(storeText);
    let reads = 0;
    const id = s.merchant.id;
    Object.defineProperty(s.merchant, "id", { enumerable: true, get: () => { reads++; return id; } });
    return [s, () => reads];
  };
  const [s, reads] = counted();
  assert.deepEqual(engine.evaluate(s), engine.evaluate(store));
  assert.equal(reads(), 2);
  // with one odd value elsewhere, the strict walk reads it again (and reports the odd value)
  const [odd, oddReads] = counted();
  odd.orders[0].amount = NaN;
  throwsCode(() => engine.evaluate(odd), "not_finite", "orders[0].amount");
  assert.ok(oddReads() >= 3, `reads: ${oddReads()}`);
});

test("a cyclic or absurdly deep object is a too_large error, not a crash", () => {
  const s = JSON.parse(storeText);
  s.merchant.self = s;
  throwsCode(() => engine.evaluate(s), "too_large");
  let deep = [];
  for (let i = 0; i < 10000; i++) deep = [deep];
  throwsCode(() => engine.evaluate({ ...store, orders: deep }), "too_large");
});

test("oversized inputs get a clear too_large error and the module stays usable", () => {
  const many = { ...store, orders: new Array(400_000).fill(store.orders[0]) };
  throwsCode(() => engine.evaluate(many), "too_large");
  const big = "x".repeat(65 * 1024 * 1024);
  throwsCode(() => engine.evaluateJson(big), "too_large");
  throwsCode(() => engine.evaluateCsv(new Uint8Array(257 * 1024 * 1024)), "too_large");
  assert.ok(engine.evaluate(store).decision); // still alive
});

test("random garbage never panics (only MerchantCreditErrors)", () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const values = [null, undefined, NaN, -1, 0, 1e308, -0, "", "2025-06-30", "x".repeat(300), [], {}, true, 3.5];
  for (let i = 0; i < 300; i++) {
    const s = JSON.parse(storeText.slice(0, 0) || "{}");
    Object.assign(s, { as_of: "2025-06-30", currency: "CNY", merchant: { id: "m", opened_on: "2024-01-01" },
      orders: [{ id: "o1", placed_at: "2025-06-01T00:00:00Z", amount: 10, status: "delivered" }] });
    const target = [s, s.merchant, s.orders[0]][Math.floor(rnd() * 3)];
    const keys = Object.keys(target).concat(["rating", "refund_amount", "monthly", "owner", "buyer_id"]);
    target[keys[Math.floor(rnd() * keys.length)]] = values[Math.floor(rnd() * values.length)];
    try { engine.evaluate(s); } catch (e) { assert.equal(e.name, "MerchantCreditError", String(e)); }
    try { engine.evaluateJson(JSON.stringify(s).slice(0, Math.floor(rnd() * 200))); } catch (e) { assert.equal(e.name, "MerchantCreditError", String(e)); }
  }
});

test("models: default, custom object and JSON text; bad models rejected with a path", () => {
  const text = read("models/default.json");
  const m = JSON.parse(text);
  assert.deepEqual(new Engine(m).modelInfo(), engine.modelInfo());
  assert.deepEqual(new Engine(text).modelInfo(), engine.modelInfo());
  assert.equal(engine.modelInfo().sha256.length, 64);
  const bad = JSON.parse(text);
  bad.grades.reverse();
  const e = throwsCode(() => new Engine(bad), "invalid_model");
  assert.match(e.path, /^grades\[\d+\]/);
  throwsCode(() => new Engine({ ...m, oops: 1 }), "unknown_field", "oops");
});

test("whatIf: feature overrides and store patches", () => {
  const w = engine.whatIf(store, { features: { refund_rate_90d: 0 } });
  assert.ok(w.delta.score >= 0);
  assert.equal(w.changed[0].feature, "refund_rate_90d");
  assert.equal(w.scenario.receipt.input_sha256, "");
  const w2 = engine.whatIf(store, { store: { owner: { identity_verified: true } } });
  assert.ok(w2.baseline.receipt.input_sha256.length === 64);
  throwsCode(() => engine.whatIf(store, { features: { nope: 1 } }), "invalid_value", "features.nope");
  throwsCode(() => engine.whatIf(store, { store: { currency: "x" } }), "invalid_currency", "store.currency");
  throwsCode(() => engine.whatIf(store, { feature: {} }), "unknown_field", "feature");
  throwsCode(() => engine.whatIf(store, { features: { gmv_90d: NaN } }), "not_finite", "features.gmv_90d");
});

test("schema and modelInfo", () => {
  for (const k of ["store", "model", "decision"]) assert.equal(typeof engine.schema(k), "object");
  throwsCode(() => engine.schema("nope"), "invalid_value", "kind");
  const info = engine.modelInfo();
  assert.equal(info.id, "default");
  assert.ok(info.features.includes("refund_rate_90d"));
});

test("synth: every profile, deterministic, evaluable", () => {
  for (const p of ["healthy", "growing", "declining", "seasonal", "new", "wash_trading", "delinquent"]) {
    const a = engine.synthJson(p, { orders: 300, seed: 3 });
    assert.equal(a, engine.synthJson(p, { orders: 300, seed: 3 }));
    assert.deepEqual(engine.synth(p, { orders: 300, seed: 3 }), JSON.parse(a));
    assert.ok(engine.evaluateJson(a).includes('"decision"'));
  }
  throwsCode(() => engine.synth("rich"), "invalid_value", "profile");
  throwsCode(() => engine.synth("healthy", { order: 5 }), "unknown_field", "options.order");
});

test("evaluateCsv: text and bytes, progress, report, errors", () => {
  const csv = "id,placed_at,amount,status,buyer_id\n" +
    Array.from({ length: 400 }, (_, i) => `o${i},2025-0${1 + (i % 6)}-${String(1 + (i % 27)).padStart(2, "0")}T10:00:00Z,${50 + (i % 40)},delivered,b${i % 90}`).join("\n") +
    "\nbad,not a date,1,delivered,b1\n";
  const calls = [];
  const opts = { merchant_id: "csv-1", opened_on: "2023-01-01", currency: "CNY", progress: (d, t) => calls.push([d, t]) };
  const r = engine.evaluateCsv(csv, "auto", opts);
  assert.equal(r.report.preset, "generic");
  assert.equal(r.report.skipped, 1);
  assert.ok(r.report.skipped_rows[0].line > 400);
  assert.ok(calls.length >= 1 && calls.at(-1)[0] === calls.at(-1)[1]);
  const r2 = engine.evaluateCsv(new TextEncoder().encode(csv), "generic", { ...opts, progress: undefined });
  assert.deepEqual(r2.decision, r.decision);
  const { store: s } = engine.importCsv(csv.buffer ?? new TextEncoder().encode(csv).buffer, null, opts);
  assert.deepEqual(engine.evaluate(s), r.decision);
  // the same object member for member, in the same order (what JSON.stringify of it shows)
  assert.equal(JSON.stringify(r.decision), JSON.stringify(engine.evaluate(s)));
  throwsCode(() => engine.evaluateCsv("", "auto"), "csv");
  throwsCode(() => engine.evaluateCsv("a,b\n1,2\n", "auto"), "csv");
  throwsCode(() => engine.evaluateCsv(csv, "excel"), "invalid_value", "preset");
  throwsCode(() => engine.evaluateCsv(csv, "auto", { progress: 3 }), "invalid_value", "options.progress");
  throwsCode(() => engine.evaluateCsv(csv, "auto", { merchant: "x" }), "unknown_field", "options.merchant");
  throwsCode(() => engine.evaluateCsv({}, "auto"), "invalid_value");
  // a throwing progress callback does not break the import
  assert.ok(engine.evaluateCsv(csv, "auto", { ...opts, progress: () => { throw new Error("ui"); } }).decision);
});
