// The package's `exports` conditions, as a user gets them: `require` and `import` from Node.js,
// and a webpack 5 build for the browser (bundler target, async WebAssembly).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const app = mkdtempSync(join(tmpdir(), "mc-exports-"));
mkdirSync(join(app, "node_modules"));
symlinkSync(join(root, "pkg"), join(app, "node_modules", "merchant-credit"), "dir");
const store = join(root, "examples", "monthly-only.json");
const node = (file) => execFileSync(process.execPath, [file], { cwd: app, encoding: "utf8" }).trim();

test("CommonJS require", () => {
  writeFileSync(join(app, "a.cjs"), `const { Engine } = require("merchant-credit");
    const d = new Engine().evaluate(require("fs").readFileSync(${JSON.stringify(store)}, "utf8"));
    console.log(d.decision);`);
  assert.match(node("a.cjs"), /^(approve|refer|decline)$/);
});

test("Node ESM import (named and default)", () => {
  writeFileSync(join(app, "b.mjs"), `import { Engine, engineVersion } from "merchant-credit";
    import mc from "merchant-credit";
    import { readFileSync } from "node:fs";
    const d = new Engine().evaluate(readFileSync(${JSON.stringify(store)}, "utf8"));
    console.log(d.decision, engineVersion() === mc.engineVersion());`);
  assert.match(node("b.mjs"), /^(approve|refer|decline) true$/);
});

test("the back-office methods are in the Node.js package and not in the browser packages", () => {
  writeFileSync(join(app, "c.cjs"), `const { Engine } = require("merchant-credit");
    console.log(["monitor", "monitorSeries", "schedule", "servicing", "score"].map((m) => typeof Engine.prototype[m]).join(","));`);
  assert.equal(node("c.cjs"), "function,function,function,function,function");
  const dts = (dir) => readFileSync(join(root, "pkg", dir, "merchant_credit.d.ts"), "utf8");
  assert.match(dts("node"), /\bmonitor\(request: MonitorRequest \| string\): MonitorReport;/);
  for (const dir of ["bundler", "web"]) {
    assert.doesNotMatch(dts(dir), /\bmonitor\(|\bservicing\(|\bscore\(/, dir);
    assert.match(dts(dir), /\bevaluateCsv\(/, dir);
  }
});

test("webpack 5 bundles the browser build", { timeout: 120_000 }, () => {
  writeFileSync(join(app, "entry.js"), `import { Engine } from "merchant-credit";
    const d = new Engine().evaluate(${JSON.stringify(JSON.stringify({ as_of: "2025-06-30", currency: "CNY",
      merchant: { id: "m", opened_on: "2022-01-01" }, monthly: [{ month: "2025-05", gmv: 1000, orders: 10 }] }))});
    globalThis.result = d.decision;`);
  writeFileSync(join(app, "webpack.config.cjs"), `module.exports = {
    mode: "production", target: "web", entry: "./entry.js",
    output: { path: ${JSON.stringify(join(app, "dist"))} },
    experiments: { asyncWebAssembly: true },
    resolve: { modules: [${JSON.stringify(join(app, "node_modules"))}, ${JSON.stringify(join(root, "node_modules"))}] },
    performance: { hints: false } };`);
  execFileSync(process.execPath, [join(root, "node_modules", "webpack", "bin", "webpack.js"), "--config", "webpack.config.cjs"],
    { cwd: app, stdio: "pipe" });
  const out = readdirSync(join(app, "dist"));
  assert.ok(out.some((f) => f.endsWith(".wasm")), out.join(","));
});

test.after(() => rmSync(app, { recursive: true, force: true }));
