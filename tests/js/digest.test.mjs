// The Node.js package hashes receipts with node:crypto (feature `node-digest`, js/node-sha256.js);
// the browser packages hash inside the module (sha2, simd128). Both must give the same receipts,
// byte for byte, and the Node.js one must really be the platform's (or the speed figure in
// docs/js-api.md would be measuring something else).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL("../../", import.meta.url));
const crypto = require("node:crypto");
const { Engine } = require("../../pkg/node/merchant_credit.js");
const web = await import("../../pkg/web/merchant_credit.js");
web.initSync({ module: readFileSync(`${root}pkg/web/merchant_credit_bg.wasm`) });

const fixtures = ["store.json", "new-seller.json", "monthly-only.json", "wash-trader.json"].map((f) => readFileSync(`${root}examples/${f}`, "utf8"));

/** Runs `fn` with node:crypto's `name` function replaced by `replacement(original)`. */
const withCrypto = (name, replacement, fn) => {
  const original = crypto[name];
  crypto[name] = replacement(original);
  try {
    return fn();
  } finally {
    crypto[name] = original;
  }
};
/** The same on a Node.js without `crypto.hash` (before 20.12), which uses `createHash`. */
const withCreateHash = (replacement, fn) => withCrypto("hash", () => undefined, () => withCrypto("createHash", replacement, fn));

test("the Node.js package's receipts are the browser package's, byte for byte", () => {
  const node = new Engine();
  const browser = new web.Engine();
  for (const text of fixtures) {
    const a = node.evaluateJson(text);
    assert.equal(a, browser.evaluateJson(text));
    // and the receipt carries a real digest (not an empty or short one)
    const r = JSON.parse(a).receipt;
    assert.match(r.input_sha256, /^[0-9a-f]{64}$/);
  }
});

test("node:crypto's one-shot hash digests the input and the decision", { skip: typeof crypto.hash !== "function" && "no crypto.hash in this Node.js" }, () => {
  const engine = new Engine();
  const seen = [];
  const text = withCrypto("hash", (original) => (alg, data, enc) => {
    seen.push([alg, enc]);
    return original(alg, data, enc);
  }, () => engine.evaluateJson(fixtures[0]));
  assert.deepEqual(seen, [["sha256", "hex"], ["sha256", "hex"]], "one digest of the canonical input, one of the decision");
  assert.equal(text, new web.Engine().evaluateJson(fixtures[0]));
});

test("node:crypto hashes the input and the decision (createHash, without crypto.hash)", () => {
  const engine = new Engine();
  const seen = [];
  const text = withCreateHash((original) => (alg) => {
    seen.push(alg);
    return original(alg);
  }, () => engine.evaluateJson(fixtures[0]));
  assert.deepEqual(seen, ["sha256", "sha256"], "one digest of the canonical input, one of the decision");
  assert.equal(text, new web.Engine().evaluateJson(fixtures[0]));
});

test("without a working node:crypto the module hashes itself, to the same receipts", () => {
  const engine = new Engine();
  for (const broken of [
    () => () => { throw new Error("no crypto here"); },
    // a digest of the wrong length is not trusted either
    (original) => (alg) => ({ update: (b) => ({ digest: (enc) => original(alg).update(b).digest(enc).slice(0, 32) }) }),
    // nor one that is not hex digits (bytes, upper case, other characters)
    (original) => (alg) => ({ update: (b) => ({ digest: () => original(alg).update(b).digest() }) }),
    (original) => (alg) => ({ update: (b) => ({ digest: (enc) => original(alg).update(b).digest(enc).toUpperCase() }) }),
  ]) {
    const text = withCreateHash(broken, () => engine.evaluateJson(fixtures[0]));
    assert.equal(text, new web.Engine().evaluateJson(fixtures[0]));
  }
  for (const broken of [
    () => () => { throw new Error("no crypto here"); },
    (original) => (alg, data, enc) => original(alg, data, enc).slice(0, 32),
    (original) => (alg, data) => original(alg, data, "buffer"),
    // 64 characters that are not all hex digits: a "g", or a character whose low byte is "0"
    (original) => (alg, data, enc) => `g${original(alg, data, enc).slice(1)}`,
    (original) => (alg, data, enc) => `\u0130${original(alg, data, enc).slice(1)}`,
  ]) {
    const text = withCrypto("hash", broken, () => engine.evaluateJson(fixtures[0]));
    assert.equal(text, new web.Engine().evaluateJson(fixtures[0]));
  }
});
