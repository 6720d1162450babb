// Lifecycle and model-development exports of the built package (run scripts/build-wasm.sh first).
// Native equality for the lifecycle examples is checked in scripts/test.d/35-crosscheck.sh.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Engine } from "../../pkg/node/index.mjs";

const root = new URL("../../", import.meta.url);
const read = (p) => readFileSync(new URL(p, root), "utf8");
const json = (p) => JSON.parse(read(p));
const engine = new Engine();

function throwsCode(fn, code, path) {
  let caught;
  try { fn(); } catch (e) { caught = e; }
  assert.ok(caught, `expected a ${code} error`);
  assert.ok(caught instanceof Error);
  assert.equal(caught.name, "MerchantCreditError", String(caught));
  assert.equal(caught.code, code, caught.message);
  if (path !== undefined) assert.equal(caught.path, path, caught.message);
  return caught;
}

test("monitor: signals, reassessment and the fresh decision; object and text agree", () => {
  const req = json("examples/lifecycle/monitor.json");
  const r = engine.monitor(req);
  assert.equal(r.$schema, "merchant-credit/monitor@1");
  assert.equal(r.merchant_id, req.store.merchant.id);
  assert.ok(Array.isArray(r.signals));
  assert.ok(["increase", "hold", "decrease", "freeze", "unfreeze"].includes(r.reassessment.change));
  assert.ok(r.decision.decision);
  assert.deepEqual(engine.monitor(read("examples/lifecycle/monitor.json")), r);
});

test("monitorSeries: one report per snapshot, oldest first", () => {
  const req = json("examples/lifecycle/series.json");
  const reports = engine.monitorSeries(req);
  assert.equal(reports.length, req.snapshots.length);
  assert.deepEqual(reports.map((r) => r.as_of), req.snapshots.map((s) => s.store.as_of));
});

test("schedule: rows add up to the total, APR of a plain installment loan is its rate", () => {
  for (const f of ["installments", "bullet", "holdback"]) {
    const s = engine.schedule(json(`examples/lifecycle/schedule-${f}.json`));
    assert.equal(s.$schema, "merchant-credit/schedule@1", f);
    const total = s.installments.reduce((a, i) => a + i.amount, 0);
    assert.ok(Math.abs(total - s.total_repayable) < 1e-6, f);
  }
  const s = engine.schedule({ method: "installments", principal: 12000, annual_rate: 0.18, installments: 6, start: "2025-07-01" });
  assert.equal(s.installments.length, 6);
  assert.ok(Math.abs(s.apr - 0.18) < 1e-4);
});

test("servicing: one loan, and a portfolio with loans[]", () => {
  const req = json("examples/lifecycle/servicing.json");
  const r = engine.servicing(req);
  assert.equal(r.$schema, "merchant-credit/servicing@1");
  assert.ok(["current", "due_soon", "past_due", "paid_off"].includes(r.status));
  assert.equal(typeof r.statement.total_outstanding, "number");
  const p = engine.servicing({ as_of: req.as_of, loans: [{ schedule: req.schedule, payments: req.payments }] });
  assert.equal(p.loans.length, 1);
  assert.deepEqual(p.loans[0], r);
});

test("lifecycle bad input: code and path", () => {
  const req = json("examples/lifecycle/monitor.json");
  req.store.monthly[0].gmv = -5;
  const e = throwsCode(() => engine.monitor(req), "negative_amount");
  assert.match(e.path, /^store\.monthly\[0\]\.gmv$/);
  throwsCode(() => engine.schedule({ method: "installments", principal: 1000, start: "2025-13-01" }), "invalid_date", "start");
  throwsCode(() => engine.schedule({ method: "weekly", principal: 1000, start: "2025-07-01" }), "invalid_value", "method");
  throwsCode(() => engine.servicing({ as_of: "2025-10-20", schedule: json("examples/lifecycle/servicing.json").schedule, payments: [{ paid_on: "2025-08-01", amount: NaN }] }), "not_finite", "payments[0].amount");
  throwsCode(() => engine.monitorSeries({ snapshots: [], extra: 1 }), "unknown_field", "extra");
  throwsCode(() => engine.monitor(null), "invalid_value", "");
});

test("score: flat records as objects or CSV text, same numbers", () => {
  const recs = [{ refund_rate_90d: 0.01, store_age_months: 30 }, { refund_rate_90d: 0.2, store_age_months: null }];
  const a = engine.score(recs);
  assert.equal(a.length, 2);
  for (const s of a) {
    assert.equal(typeof s.score, "number");
    assert.ok(s.pd > 0 && s.pd < 1);
    assert.equal(s.points.length, engine.modelInfo().characteristics);
  }
  assert.deepEqual(engine.score("refund_rate_90d,store_age_months\n0.01,30\n0.2,NA\n"), a);
  assert.ok(a[1].score <= a[0].score);
  throwsCode(() => engine.score([{ refund_rate_90d: 0.01 }, { refund_rate_90d: {} }]), "malformed_json", "[1].refund_rate_90d"); // as natively
  throwsCode(() => engine.score([{ x: Infinity }]), "not_finite", "[0].x");
  throwsCode(() => engine.score("a,b\n1\n"), "csv", "line 2");
  throwsCode(() => engine.score({ a: 1 }), "invalid_value", "");
});

test("modelInfo includes a trained model's training_report", () => {
  assert.equal(engine.modelInfo().training_report, undefined);
  const model = JSON.parse(engine.schema("model") && read("models/default.json"));
  model.extensions = { ...(model.extensions ?? {}), training_report: { rows: 1000, metrics: { test: { gini: 0.5 } } } };
  const info = new Engine(model).modelInfo();
  assert.deepEqual(info.training_report, { rows: 1000, metrics: { test: { gini: 0.5 } } });
});
