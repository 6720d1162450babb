// The wasm side of the performance harness (issue 9): every fixture of benches/manifest.json
// through the Node build of the package (pkg/node), the same paths as benches/fixtures.rs:
// store JSON -> evaluateJson (parse + validate + evaluate + receipt), CSV bytes -> evaluateCsv.
// Prints tab-separated lines: name, wasm_ms (best), and one `# cold` line: instantiate and
// instantiate + first evaluate in a fresh process (ms).
// Usage: node benches/fixtures.mjs FIXTURE_DIR
import { readFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const root = new URL("../", import.meta.url).pathname.replace(/benches\/$/, "");
const dir = process.argv[2];
const manifest = JSON.parse(readFileSync(`${root}benches/manifest.json`, "utf8"));
const pkg = `${root}pkg/node/merchant_credit.js`;

const cold = [];
for (let i = 0; i < 5; i++) {
  const out = execFileSync(process.execPath, ["-e", `
    const t0 = performance.now();
    const { Engine } = require(${JSON.stringify(pkg)});
    const e = new Engine();
    const t1 = performance.now();
    e.evaluateJson(require("fs").readFileSync(${JSON.stringify(`${root}examples/monthly-only.json`)}, "utf8"));
    console.log((t1 - t0).toFixed(2), (performance.now() - t0).toFixed(2));`], { encoding: "utf8" });
  cold.push(out.trim().split(" ").map(Number));
}
cold.sort((a, b) => a[1] - b[1]);
console.log(`# cold\t${cold[2][0]}\t${cold[2][1]}`);

const require = createRequire(import.meta.url);
const { Engine } = require(pkg);
const engine = new Engine();

function best(budgetMs, f) {
  f();
  let b = Infinity, spent = 0, n = 0;
  while (n < 3 || (spent < budgetMs && n < 2000)) {
    const t = performance.now();
    f();
    const e = performance.now() - t;
    b = Math.min(b, e); spent += e; n++;
  }
  return b;
}

for (const f of manifest.fixtures) {
  const path = f.file ? `${root}${f.file}` : `${dir}/${f.name}.${f.kind === "csv" ? "csv" : "json"}`;
  if (!existsSync(path)) { console.error(`${f.name}: ${path} missing`); continue; }
  let ms;
  if (f.kind === "csv") {
    const bytes = new Uint8Array(readFileSync(path));
    const opts = { currency: "CNY", as_of: manifest.as_of, merchant_id: f.name };
    ms = best(2000, () => engine.evaluateCsv(bytes, f.preset ?? "auto", opts));
  } else {
    const text = readFileSync(path, "utf8");
    ms = best(1000, () => engine.evaluateJson(text));
  }
  console.log(`${f.name}\t${ms.toFixed(4)}`);
}
