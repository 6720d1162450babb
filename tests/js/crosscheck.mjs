// Same answer everywhere: evaluates every store of a JSON-lines file in wasm (Node) and compares
// each Decision JSON byte for byte with the native engine's output for the same lines
// (`merchant-credit batch`), with both modules the package ships: the Node.js one (opt-level 3,
// receipts hashed by node:crypto) and the browser one (pkg/web: opt-level "s", receipts hashed in
// the module), loaded here with `initSync`.
// Usage: node tests/js/crosscheck.mjs STORES.jsonl NATIVE.jsonl
// Exit 1 on any difference, naming the build, the store and the first differing field.
import { readFileSync } from "node:fs";
import { Engine as NodeEngine } from "../../pkg/node/index.mjs";
import { initSync, Engine as WebEngine } from "../../pkg/web/merchant_credit.js";

const [storesFile, nativeFile] = process.argv.slice(2);
const stores = readFileSync(storesFile, "utf8").split("\n").filter((l) => l.trim() !== "");
const native = readFileSync(nativeFile, "utf8").split("\n").filter((l) => l !== "");
initSync({ module: readFileSync(new URL("../../pkg/web/merchant_credit_bg.wasm", import.meta.url)) });
const builds = [["pkg/node", new NodeEngine()], ["pkg/web (browser module)", new WebEngine()]];

/** Path and values of the first difference between two JSON values. */
function firstDiff(a, b, path = "") {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) return [path, a, b];
  if (a && typeof a === "object") {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDiff(a[k], b[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : [path, a, b];
}

function wasmLine(engine, text, n) {
  try {
    return engine.evaluateJson(text);
  } catch (e) {
    if (e.name !== "MerchantCreditError") throw e;
    const message = e.path && e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message;
    // the same shape and key order as `merchant-credit batch` error lines
    return JSON.stringify({ error: { code: e.code, message, path: e.path }, line: n });
  }
}

if (stores.length !== native.length) {
  console.error(`crosscheck: ${stores.length} stores but ${native.length} native lines`);
  process.exit(1);
}
let failed = 0;
for (const [build, engine] of builds) {
  let same = 0, errors = 0;
  const failures = [];
  const t0 = performance.now();
  stores.forEach((text, i) => {
    const w = wasmLine(engine, text, i + 1);
    if (w.startsWith('{"error"')) errors++;
    if (w === native[i]) { same++; return; }
    let id = `line ${i + 1}`;
    try { id += ` (merchant ${JSON.parse(text).merchant.id})`; } catch {}
    let detail;
    try {
      const d = firstDiff(JSON.parse(native[i]), JSON.parse(w));
      detail = d ? `first differing field \`${d[0]}\`: native ${JSON.stringify(d[1])} vs wasm ${JSON.stringify(d[2])}` : "same values, different bytes";
    } catch { detail = "unparseable output"; }
    const at = [...w].findIndex((c, k) => c !== native[i][k]);
    failures.push(`${id}: ${detail}; first differing byte at ${at}: native ...${native[i].slice(Math.max(0, at - 30), at + 30)}... wasm ...${w.slice(Math.max(0, at - 30), at + 30)}...`);
  });
  const ms = performance.now() - t0;
  console.log(`crosscheck: ${build}: ${stores.length} stores, ${same} byte-identical, ${failures.length} different (${errors} rejected alike by both), wasm ${ms.toFixed(0)} ms`);
  for (const f of failures.slice(0, 20)) console.log(`  DIFF ${build}: ${f}`);
  failed += failures.length;
}
process.exit(failed ? 1 : 0);
