// Time per evaluation (store JSON text in, Decision JSON text out), wasm in Node against native,
// on the same fixtures in one run; plus the
// size of the built module and cold start (instantiate + first evaluate) in Node and in headless
// Chromium (playwright-core, /usr/bin/chromium, the web target).
// Usage: node benches/wasm/speed.mjs [N] [--no-cold] [--no-browser]
//   (needs pkg/ from scripts/build-wasm.sh, and cargo for the native side; PKG_NODE=dir uses
//   another nodejs-target build, as benches/wasm/opt-levels.sh does)
// Native and wasm alternate in rounds (native, wasm, native, wasm...) and each figure is the
// median of its rounds, so that load from other processes on a shared machine hits both alike.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const root = new URL("../../", import.meta.url).pathname;
const args = process.argv.slice(2);
const N = Number(args.find((a) => !a.startsWith("--")) ?? 20);
const ROUNDS = 5;
const files = ["examples/store.json", "examples/declining-seller.json", "examples/new-seller.json", "examples/monthly-only.json"];
const pkgNode = process.env.PKG_NODE ?? `${root}pkg/node`;

const wasmFile = `${pkgNode}/merchant_credit_bg.wasm`;
const raw = readFileSync(wasmFile);
console.log(`size: ${wasmFile.replace(root, "")} ${raw.length} bytes raw, ${gzipSync(raw, { level: 9 }).length} bytes gzip -9`);
// the browser module (what the 250 KB budget is about), when it is there
try {
  const web = readFileSync(`${root}pkg/web/merchant_credit_bg.wasm`);
  console.log(`size: pkg/web/merchant_credit_bg.wasm (browser) ${web.length} bytes raw, ${gzipSync(web, { level: 9 }).length} bytes gzip -9`);
} catch {}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!args.includes("--no-cold")) {
  // cold start: a fresh process each time; require (compile + instantiate) + first evaluate
  const cold = [];
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, ["-e", `
      const t0 = performance.now();
      const { Engine } = require(${JSON.stringify(`${pkgNode}/merchant_credit.js`)});
      const t1 = performance.now();
      new Engine().evaluateJson(require("fs").readFileSync(${JSON.stringify(`${root}examples/monthly-only.json`)}, "utf8"));
      console.log((t1 - t0).toFixed(2), (performance.now() - t0).toFixed(2));`], { encoding: "utf8" });
    cold.push(out.trim().split(" ").map(Number));
  }
  cold.sort((a, b) => a[1] - b[1]);
  console.log(`cold start (node, median of 5): instantiate ${cold[2][0]} ms, instantiate + first evaluate ${cold[2][1]} ms`);
}

if (!args.includes("--no-browser")) {
  // cold start in Chromium: a fresh browser context per run (no compiled-code cache), the web
  // target served from a routed fake origin; fetch + compile + instantiate, then the first evaluate.
  const { chromium } = createRequire(import.meta.url)("playwright-core");
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless=new", "--no-sandbox", "--disable-gpu",
    "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  const store = readFileSync(`${root}examples/monthly-only.json`, "utf8");
  const runs = [];
  try {
    for (let i = 0; i < 5; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.route("http://bench.local/**", (route) => {
        const p = new URL(route.request().url()).pathname;
        if (p === "/") return route.fulfill({ contentType: "text/html", body: "<!doctype html><title>cold</title>" });
        const type = p.endsWith(".wasm") ? "application/wasm" : "text/javascript";
        return route.fulfill({ contentType: type, body: readFileSync(`${root}pkg/web${p}`) });
      });
      await page.goto("http://bench.local/");
      runs.push(await page.evaluate(async (text) => {
        const t0 = performance.now();
        const m = await import("/merchant_credit.js");
        await m.default();
        const t1 = performance.now();
        new m.Engine().evaluateJson(text);
        return [t1 - t0, performance.now() - t0];
      }, store));
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  runs.sort((a, b) => a[1] - b[1]);
  const [inst, first] = runs[2];
  console.log(`cold start (chromium, median of 5): import + instantiate ${inst.toFixed(1)} ms, + first evaluate ${first.toFixed(1)} ms`);
}

const { Engine } = createRequire(import.meta.url)(`${pkgNode}/merchant_credit.js`);
const engine = new Engine();
execFileSync("cargo", ["build", "--quiet", "--release", "--example", "time_eval"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
const targetDir = process.env.CARGO_TARGET_DIR ?? `${root}target`;
const texts = Object.fromEntries(files.map((f) => [f, readFileSync(`${root}${f}`, "utf8")]));
// iterations per timing, per file: at least N, and enough for ~100 ms of wasm (a 50 us
// evaluation timed 20 times is 1 ms of clock, mostly noise); the same count natively
const iters = Object.fromEntries(files.map((f) => {
  for (let i = 0; i < 5; i++) engine.evaluateJson(texts[f]);
  const t0 = performance.now();
  let k = 0;
  while (performance.now() - t0 < 20) { engine.evaluateJson(texts[f]); k++; }
  return [f, Math.max(N, Math.ceil(100 / ((performance.now() - t0) / k)))];
}));
const runNative = () => Object.fromEntries(files.map((f) => {
  const line = execFileSync(`${targetDir}/release/examples/time_eval`, [String(iters[f]), f], { cwd: root, encoding: "utf8" }).trim();
  return [f, Number(line.split("\t")[1])];
}));
const time = (fn, n) => { fn(); const t = performance.now(); for (let i = 0; i < n; i++) fn(); return (performance.now() - t) * 1000 / n; };
const nat = Object.fromEntries(files.map((f) => [f, []]));
const wj = Object.fromEntries(files.map((f) => [f, []]));
const wo = Object.fromEntries(files.map((f) => [f, []]));
for (let r = 0; r < ROUNDS; r++) {
  const n = runNative();
  for (const f of files) {
    nat[f].push(n[f]);
    const obj = JSON.parse(texts[f]);
    wj[f].push(time(() => engine.evaluateJson(texts[f]), iters[f]));
    wo[f].push(time(() => engine.evaluate(obj), iters[f]));
  }
}
console.log(`per evaluation (evaluateJson, natively Engine::evaluate_json_to_json: parse + validate + evaluate + receipt + Decision JSON), at least N=${N} and ~100 ms per timing (${files.map((f) => iters[f]).join(", ")}), median of ${ROUNDS} alternating rounds`);
console.log("file                                   orders      native us    wasm us   ratio   wasm object-path us");
for (const f of files) {
  const orders = JSON.parse(texts[f]).orders?.length ?? 0;
  const [n, w, o] = [median(nat[f]), median(wj[f]), median(wo[f])];
  console.log(`${f.padEnd(38)} ${String(orders).padStart(7)} ${n.toFixed(1).padStart(12)} ${w.toFixed(1).padStart(10)} ${(w / n).toFixed(2).padStart(6)}x ${o.toFixed(1).padStart(12)}`);
}
