// wasm-bindgen's nodejs target is CommonJS: its glue `require`s each JS snippet (a
// `#[wasm_bindgen(module = "/js/...")]` import), but copies the snippet unchanged, and our
// snippets are ES modules (the bundler and web targets `import` them). Node 18-20 cannot
// `require` an ES module, so this rewrites the copies under DIR/snippets/ to CommonJS: each
// top-level `export function NAME` becomes `function NAME`, exported through `module.exports`.
// A snippet with any other form of export is refused rather than half converted.
// Usage: node cjs-snippets.mjs DIR
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";

const dir = join(process.argv[2], "snippets");
const files = [];
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith(".js")) files.push(p);
  }
};
try {
  walk(dir);
} catch {
  process.exit(0); // no snippets
}
for (const file of files) {
  const names = [];
  const text = readFileSync(file, "utf8").replace(/^export function (\w+)/gm, (_, name) => {
    names.push(name);
    return `function ${name}`;
  });
  if (/^\s*export\b/m.test(text) || /^\s*import\b/m.test(text)) {
    console.error(`cjs-snippets: ${file}: only \`export function\` declarations can be converted`);
    process.exit(1);
  }
  writeFileSync(file, `"use strict";\n${text}\nmodule.exports = { ${names.join(", ")} };\n`);
  console.error(`cjs-snippets: ${file}: CommonJS (${names.join(", ")})`);
}
