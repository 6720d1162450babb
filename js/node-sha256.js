// SHA-256 by Node.js's own crypto (OpenSSL), for the receipts of the Node.js package only
// (src/wasm.rs imports this module under the `node-digest` feature, which scripts/build-wasm.sh
// turns on for pkg/node alone; the browser packages never reference it). A WebAssembly module
// has no access to the CPU's SHA instructions, and hashing the canonical input was about a
// quarter of a wasm evaluation; OpenSSL hashes it 3-4x faster. The digest is the same SHA-256, so
// receipts stay byte-identical to the native engine's (the cross-check compares them).
// scripts/lib/cjs-snippets.mjs turns this file into CommonJS, where `require` exists.

/** node:crypto, loaded at the first digest. */
let nodeCrypto;

/**
 * SHA-256 of `bytes` (a view of the module's memory; read, never kept), or `undefined` when
 * `node:crypto` is not there (a Node.js built without it) or gives anything but 32 bytes, in
 * which case the module hashes itself. Never throws.
 * @param {Uint8Array} bytes
 * @returns {Uint8Array | undefined}
 */
export function nodeSha256(bytes) {
  try {
    nodeCrypto ??= require("node:crypto");
    // crypto.hash (Node.js 20.12+, 21.7+): one call, no Hash object; ~0.7 us less per digest
    const d = typeof nodeCrypto.hash === "function"
      ? nodeCrypto.hash("sha256", bytes, "buffer")
      : nodeCrypto.createHash("sha256").update(bytes).digest();
    // anything but 32 bytes (a replaced or broken crypto module) is not a SHA-256
    return d instanceof Uint8Array && d.length === 32 ? d : undefined;
  } catch {
    return undefined;
  }
}
