// Scores a seller-center CSV export (generic, Shopify, Olist or mapped) and prints the decision.
// Usage: node examples/node/score-csv.mjs EXPORT.csv [preset=auto] [merchant-id] [opened-on]
import { readFileSync } from "node:fs";
import { Engine } from "../../pkg/node/index.mjs";

const [file, preset = "auto", merchant_id, opened_on] = process.argv.slice(2);
if (!file) { console.error("usage: score-csv.mjs EXPORT.csv [preset] [merchant-id] [opened-on]"); process.exit(2); }
const engine = new Engine();
try {
  const { decision: d, report: r } = engine.evaluateCsv(readFileSync(file), preset, {
    merchant_id, opened_on, progress: (done, total) => process.stderr.write(`\r${((100 * done) / total).toFixed(0)}%`),
  });
  process.stderr.write("\n");
  console.log(`import: preset ${r.preset}${r.detected ? " (detected)" : ""}, ${r.rows} rows, ${r.orders} orders, ${r.skipped} skipped, currency ${r.currency}`);
  for (const s of r.skipped_rows.slice(0, 5)) console.log(`  skipped line ${s.line}: ${s.reason}`);
  console.log(`${d.merchant_id}: ${d.decision}, score ${d.score}, grade ${d.grade}, PD ${(100 * d.pd).toFixed(2)}%, line ${d.credit_line.amount} ${d.credit_line.currency}`);
  console.table(d.offers.map((o) => ({ product: o.product, amount: o.amount, term_days: o.term_days, fee: o.fee, apr: o.apr })));
  for (const x of d.reasons.slice(0, 3)) console.log(`  ${x.code} ${x.message}`);
} catch (e) {
  console.error(`${file}: ${e.message} [${e.code}]`);
  process.exit(2);
}
