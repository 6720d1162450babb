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
 * Writes the SHA-256 of `bytes` as 64 lower-case hex digits into `out` (both views of the
 * module's memory; read and written, never kept) and returns `true`; returns `false` when
 * `node:crypto` is not there (a Node.js built without it) or gives anything but 64 hex digits, in
 * which case the module hashes itself. Never throws.
 *
 * Hex, not bytes: `crypto.hash(..., "buffer")` allocates a Buffer for the 32 bytes, which costs
 * about 0.7 us more than the hex string (Node.js 20), and the 64 digits are written straight into
 * the module's memory (no allocation on either side). The module checks every digit.
 * @param {Uint8Array} bytes
 * @param {Uint8Array} out
 * @returns {boolean}
 */
export function nodeSha256(bytes, out) {
  try {
    nodeCrypto ??= require("node:crypto");
    // crypto.hash (Node.js 20.12+, 21.7+): one call, no Hash object; ~0.7 us less per digest
    const d = typeof nodeCrypto.hash === "function"
      ? nodeCrypto.hash("sha256", bytes, "hex")
      : nodeCrypto.createHash("sha256").update(bytes).digest("hex");
    // anything but 64 digits (a replaced or broken crypto module) is not a SHA-256
    if (typeof d !== "string" || d.length !== 64 || out.length !== 64) return false;
    let all = 0;
    for (let i = 0; i < 64; i++) all |= out[i] = d.charCodeAt(i);
    // a code unit above 0xFF would be cut to its low byte by the store: ASCII only
    return all < 0x80;
  } catch {
    return false;
  }
}
