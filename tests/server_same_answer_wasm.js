#!/usr/bin/env node
// Same answer, wasm edition: the example stores (and variations) evaluated by the wasm package
// (`new Engine().evaluateJson(text)`, as in the seller's browser) and by the server
// (POST /v1/evaluate) must give byte-identical Decision JSON, and /v1/verify must accept the
// wasm receipt. Starts the server on 127.0.0.1 (ephemeral port) and stops it.
//
// Usage: node tests/server_same_answer_wasm.js SERVER_BINARY [PKG_DIR]
// Exit codes: 0 same bytes everywhere, 1 a difference or failure, 3 no Node-loadable wasm package.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..');
const bin = process.argv[2];
if (!bin) {
  console.error('usage: node tests/server_same_answer_wasm.js SERVER_BINARY [PKG_DIR]');
  process.exit(2);
}

function loadPkg() {
  const candidates = [process.argv[3], process.env.MC_PKG_DIR, 'pkg-node', 'pkg/node', 'pkg'].filter(Boolean);
  for (const c of candidates) {
    const dir = path.resolve(root, c);
    if (!fs.existsSync(path.join(dir, 'package.json'))) continue;
    try {
      const mod = require(dir);
      if (typeof mod.Engine === 'function') return { mod, dir };
    } catch (e) {
      console.error(`wasm: ${dir} does not load in Node (${e.message.split('\n')[0]})`);
    }
  }
  return null;
}

function stores() {
  const out = [];
  const dir = path.join(root, 'examples');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    out.push([f, text]);
    const base = JSON.parse(text);
    const noOwner = structuredClone(base);
    delete noOwner.owner;
    out.push([`${f} without owner`, JSON.stringify(noOwner)]);
    const declared = structuredClone(base);
    declared.merchant.declared_monthly_revenue = 250000;
    out.push([`${f} declaring 250000/month`, JSON.stringify(declared)]);
    const later = structuredClone(base);
    later.as_of = '2025-09-30';
    out.push([`${f} as_of 2025-09-30`, JSON.stringify(later)]);
  }
  return out;
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const rl = readline.createInterface({ input: child.stderr });
    const timer = setTimeout(() => reject(new Error('the server did not start')), 20000);
    rl.on('line', (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('error', reject);
  });
}

async function main() {
  const pkg = loadPkg();
  if (!pkg) {
    console.log('wasm: no Node-loadable wasm package (pkg/ built with --target nodejs); the wasm leg of the comparison is skipped');
    process.exit(3);
  }
  const engine = new pkg.mod.Engine();
  const { child, url } = await startServer();
  let failures = 0;
  let compared = 0;
  try {
    for (const [name, text] of stores()) {
      let wasm;
      let wasmErr = null;
      try {
        wasm = engine.evaluateJson(text);
      } catch (e) {
        wasmErr = e;
      }
      const r = await fetch(`${url}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
      const body = await r.text();
      if (wasmErr) {
        const code = JSON.parse(body).error?.code;
        if (r.status !== 400 || code !== wasmErr.code) {
          console.log(`DIFF ${name}: wasm threw ${wasmErr.code} ${wasmErr.message}; server ${r.status} ${body.slice(0, 200)}`);
          failures++;
        }
        continue;
      }
      compared++;
      if (r.status !== 200 || body !== wasm) {
        console.log(`DIFF ${name}: server ${r.status}, ${body.length} bytes; wasm ${wasm.length} bytes`);
        failures++;
        continue;
      }
      const receipt = JSON.parse(wasm).receipt;
      const v = await fetch(`${url}/v1/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"store":${text},"receipt":${JSON.stringify(receipt)}}`,
      });
      const verdict = await v.json();
      if (v.status !== 200 || verdict.match !== true) {
        console.log(`VERIFY ${name}: ${v.status} ${JSON.stringify(verdict).slice(0, 300)}`);
        failures++;
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  console.log(`wasm vs server: ${compared} decisions compared byte for byte (${pkg.dir}), ${failures} differences`);
  process.exit(failures === 0 && compared > 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
