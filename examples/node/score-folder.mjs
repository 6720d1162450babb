// Scores every StoreData JSON file in a folder with the wasm engine and prints a table.
// Usage: node examples/node/score-folder.mjs [DIR=examples]   (after npm run build:wasm)
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Engine } from "../../pkg/node/index.mjs";

const dir = process.argv[2] ?? "examples";
const engine = new Engine();
const rows = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  try {
    const d = engine.evaluate(readFileSync(join(dir, f), "utf8"));
    rows.push({ file: f, merchant: d.merchant_id, decision: d.decision, score: d.score, grade: d.grade,
      pd: d.pd.toFixed(4), line: `${d.credit_line.amount} ${d.credit_line.currency}`, top_reason: d.reasons[0]?.code ?? "" });
  } catch (e) {
    rows.push({ file: f, decision: `error ${e.code}`, top_reason: `${e.path} ${e.message}`.slice(0, 60) });
  }
}
console.table(rows);
