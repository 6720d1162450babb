// Time per evaluation, wasm in Node against native, on the same fixtures in one run; plus the
// size of the built module and cold start (instantiate + first evaluate) in Node.
// Usage: node benches/wasm/speed.mjs [N]   (needs pkg/ from scripts/build-wasm.sh and cargo)
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const root = new URL("../../", import.meta.url).pathname;
const N = Number(process.argv[2] ?? 20);
const files = ["examples/store.json", "examples/declining-seller.json", "examples/new-seller.json", "examples/monthly-only.json"];

const wasmFile = `${root}pkg/node/merchant_credit_bg.wasm`;
const raw = readFileSync(wasmFile);
console.log(`size: ${wasmFile.replace(root, "")} ${raw.length} bytes raw, ${gzipSync(raw, { level: 9 }).length} bytes gzip -9`);

// cold start: a fresh process each time; require (compile + instantiate) + first evaluate
const cold = [];
for (let i = 0; i < 5; i++) {
  const out = execFileSync(process.execPath, ["-e", `
    const t0 = performance.now();
    const { Engine } = require(${JSON.stringify(`${root}pkg/node/merchant_credit.js`)});
    const t1 = performance.now();
    new Engine().evaluateJson(require("fs").readFileSync(${JSON.stringify(`${root}examples/monthly-only.json`)}, "utf8"));
    console.log((t1 - t0).toFixed(2), (performance.now() - t0).toFixed(2));`], { encoding: "utf8" });
  cold.push(out.trim().split(" ").map(Number));
}
cold.sort((a, b) => a[1] - b[1]);
const med = cold[2];
console.log(`cold start (node, median of 5): instantiate ${med[0]} ms, instantiate + first evaluate ${med[1]} ms`);

const require = createRequire(import.meta.url);
const { Engine } = require(`${root}pkg/node/merchant_credit.js`);
const engine = new Engine();
const native = Object.fromEntries(execFileSync("cargo", ["run", "--quiet", "--release", "--example", "time_eval", "--", String(N), ...files],
  { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n").map((l) => l.split("\t")).map(([f, us]) => [f, Number(us)]));
console.log(`per evaluation (evaluateJson: parse + validate + evaluate + receipt), N=${N}`);
console.log("file                                   orders      native us    wasm us   ratio   wasm object-path us");
for (const f of files) {
  const text = readFileSync(`${root}${f}`, "utf8");
  const obj = JSON.parse(text);
  engine.evaluateJson(text);
  let t = performance.now();
  for (let i = 0; i < N; i++) engine.evaluateJson(text);
  const w = (performance.now() - t) * 1000 / N;
  t = performance.now();
  for (let i = 0; i < N; i++) engine.evaluate(obj);
  const o = (performance.now() - t) * 1000 / N;
  const nat = native[f];
  console.log(`${f.padEnd(38)} ${String(obj.orders?.length ?? 0).padStart(7)} ${nat.toFixed(1).padStart(12)} ${w.toFixed(1).padStart(10)} ${(w / nat).toFixed(2).padStart(6)}x ${o.toFixed(1).padStart(12)}`);
}
