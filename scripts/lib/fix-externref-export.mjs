// Works around a binaryen 108 bug (the wasm-opt Debian bookworm ships): when a module has two
// tables, as wasm-bindgen's externref output does (a funcref table and an externref table),
// wasm-opt writes the `__wbindgen_externrefs` export pointing at table 0 (the funcref table), and
// the module then fails at instantiation with "WebAssembly.Table.set(): Argument 1 is invalid for
// table". This points the export back at the externref table. It changes nothing when the export
// is already right (a fixed binaryen), so it is safe to keep. Usage: node fix-externref-export.mjs FILE.wasm
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
const b = readFileSync(file);
const leb = (i) => { let r = 0, s = 0, x; do { x = b[i++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80); return [r, i]; };
let i = 8, externrefTable = -1, fixed = false;
while (i < b.length) {
  const id = b[i++];
  let len; [len, i] = leb(i);
  const end = i + len;
  if (id === 4) { // table section
    let [n, j] = leb(i);
    for (let t = 0; t < n; t++) {
      if (b[j] === 0x6f) externrefTable = t;
      const flags = b[j + 1]; j += 2;
      [, j] = leb(j);
      if (flags & 1) [, j] = leb(j);
    }
  } else if (id === 7) { // export section
    let [n, j] = leb(i);
    for (let e = 0; e < n; e++) {
      let l; [l, j] = leb(j);
      const name = b.toString("utf8", j, j + l); j += l;
      const kind = b[j++];
      if (kind === 1 && name === "__wbindgen_externrefs" && externrefTable >= 0 && b[j] !== externrefTable) {
        if (externrefTable > 127 || b[j] & 0x80) throw new Error("unexpected table index encoding");
        b[j] = externrefTable; fixed = true;
      }
      [, j] = leb(j);
    }
  }
  i = end;
}
if (fixed) { writeFileSync(file, b); console.error(`fix-externref-export: ${file}: export re-pointed at table ${externrefTable}`); }
