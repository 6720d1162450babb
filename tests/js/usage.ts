// Type-checked by `tsc --noEmit -p tests/js` (scripts/test.d/30-wasm.sh): the generated .d.ts must
// describe the API with real types. This is the browser package's API (pkg/bundler); the Node.js
// package adds the back-office methods, checked in usage-node.ts.
import { store } from "./store-fixture.js";
import { Engine, engineVersion } from "merchant-credit";
import type { Decision, StoreData, WhatIfResult, MerchantCreditError, ModelInfo, CsvEvaluation } from "merchant-credit";

const engine = new Engine();
const d: Decision = engine.evaluate(store);
const line: number = d.credit_line.amount;
const outcome: "approve" | "refer" | "decline" = d.decision;
const w: WhatIfResult = engine.whatIf(store, { features: { refund_rate_90d: 0.01 } });
const gained: number = w.delta.credit_line;
const info: ModelInfo = engine.modelInfo();
const text: string = engine.evaluateJson(JSON.stringify(store));
const csv: CsvEvaluation = engine.evaluateCsv("id,placed_at,amount\n", "auto", { progress: (done: number, total: number) => void (done / total) });
const synthetic: StoreData = engine.synth("healthy", { orders: 500, seed: 1 });
try {
  engine.evaluate({ ...store, currency: "cny" });
} catch (e) {
  const err = e as MerchantCreditError;
  const where: string = err.path;
  const code: string = err.code;
  void [where, code];
}
// the back-office methods are in the Node.js package only (tests/js/usage-node.ts)
// @ts-expect-error: not in the browser build
engine.monitor({ store });
// @ts-expect-error: a store needs a merchant
engine.evaluate({ as_of: "2025-06-30", currency: "CNY" });
// @ts-expect-error: unknown profile
engine.synth("rich");
void [line, outcome, gained, info, text, csv, synthetic, engineVersion(), new Engine(info.id === "x" ? undefined : "{}")];
