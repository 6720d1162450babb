// The widget's engine warm-up (www/src/warmup.mjs): its sample exports must import cleanly through
// the real presets, or the warm-up would exercise error paths instead of the import loops it is
// there to get optimised (a 1,000,000-order file: 6.5 s cold vs 1.2 s warm in Chromium).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine } from "../../pkg/node/index.mjs";
import { warmUp, warmUpCsv } from "../../www/src/warmup.mjs";

test("warm-up samples import with no skipped row through the generic and Shopify presets", () => {
  const engine = new Engine();
  for (const [shopify, rows, preset] of [[false, 4000, "generic"], [true, 2000, "shopify"]]) {
    const out = engine.evaluateCsv(warmUpCsv(rows, shopify), "auto", { merchant_id: "warm-up", opened_on: "2024-01-01" });
    assert.equal(out.report.preset, preset);
    assert.equal(out.report.orders, rows);
    assert.equal(out.report.skipped, 0);
    assert.equal(out.decision.merchant_id, "warm-up");
  }
});

test("warmUp leaves the engine usable and never throws", () => {
  const engine = new Engine();
  warmUp(engine);
  warmUp({ evaluateCsv() { throw new Error("broken engine"); } });
  const again = engine.evaluateCsv(warmUpCsv(10, false), "auto", { merchant_id: "m", opened_on: "2024-01-01" });
  assert.equal(again.report.orders, 10);
});
