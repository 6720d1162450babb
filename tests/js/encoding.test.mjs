// CSV encodings in the wasm package: GBK / GB18030 exports are decoded at the boundary with the
// platform's TextDecoder (the core is built without encoding_rs for wasm); UTF-16 with a BOM by
// the core. Same orders and report as natively (tests/import_presets.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Engine } from "../../pkg/node/index.mjs";

const engine = new Engine();
const gbk = new Uint8Array(readFileSync(new URL("../fixtures/import/shopify-gbk.csv", import.meta.url)));

test("GBK Shopify export with Chinese product names: auto-detected, as natively", () => {
  assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(gbk), "the fixture really is GBK");
  let last = [0, 0];
  const { store, report } = engine.importCsv(gbk, "auto", { progress: (d, t) => (last = [d, t]) });
  assert.equal(report.encoding, "gb18030");
  assert.equal(report.preset, "shopify");
  assert.equal(report.bytes, gbk.length, "the caller's bytes");
  assert.equal(last[1], gbk.length, "progress in the caller's bytes");
  assert.equal(store.orders.length, 5);
  assert.equal(store.currency, "CNY");
  assert.equal(store.orders[0].placed_at, "2025-05-01T01:58:00Z");
  // explicit gbk / gb18030 and an ArrayBuffer give the same store; utf8 is a clear csv error
  assert.deepEqual(engine.importCsv(gbk, "auto", { encoding: "gbk" }).store, store);
  assert.deepEqual(engine.importCsv(gbk.slice().buffer, "auto", { encoding: "gb18030" }).store, store);
  assert.equal(engine.evaluateCsv(gbk, "shopify").decision.merchant_id, store.merchant.id);
  let err;
  try { engine.importCsv(gbk, "auto", { encoding: "utf8" }); } catch (e) { err = e; }
  assert.equal(err?.code, "csv");
  assert.match(err.message, /not valid UTF-8/);
});

test("UTF-16 with a BOM and UTF-8 with a BOM give the same orders", () => {
  const text = new TextDecoder("gb18030").decode(gbk);
  const base = engine.importCsv(text, "auto").store;
  const le = new Uint8Array(2 + text.length * 2);
  le[0] = 0xff; le[1] = 0xfe;
  for (let i = 0; i < text.length; i++) { const c = text.charCodeAt(i); le[2 + 2 * i] = c & 0xff; le[3 + 2 * i] = c >> 8; }
  const r16 = engine.importCsv(le, "auto");
  assert.equal(r16.report.encoding, "utf-16le");
  assert.deepEqual(r16.store.orders, base.orders);
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
  assert.deepEqual(engine.importCsv(bom, "auto").store.orders, base.orders);
});

test("bytes that are neither UTF-8 nor GB18030: csv error", () => {
  const bad = new Uint8Array([...new TextEncoder().encode("id,placed_at,amount\n"), 0x81, 0x20, 0x0a]);
  let err;
  try { engine.importCsv(bad, "auto"); } catch (e) { err = e; }
  assert.equal(err?.code, "csv");
  assert.match(err.message, /supported encoding/);
});
