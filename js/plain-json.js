// The fast way in for a JS object (src/wasm.rs imports this module; wasm-bindgen ships it in
// pkg/<target>/snippets/). JSON.stringify turns a plain object into JSON text at native speed,
// where walking it property by property from wasm costs a call across the boundary per value
// (about 3x the whole evaluation). But JSON.stringify also quietly changes what it cannot write:
// NaN and infinities become null, undefined / functions / symbols vanish, a Date becomes a string
// through its toJSON, a Map becomes {}. The engine must report those, with their
// path, not score a different store. So the replacer only watches: at the first value that is not
// a plain JSON value it gives up, and the caller falls back to the strict walk, which reports the
// error exactly as before. The text returned is therefore what the strict walk would have built,
// value for value (key order aside, which no contract depends on).

/**
 * JSON text of `value` if it is made only of plain objects, arrays, strings, finite numbers,
 * booleans and null, with at most `budget` values in all; otherwise `undefined`. (-0 is written
 * `0`, which is also how the strict walk reads it: as the integer 0.)
 * Never throws (cycles, getters that throw and BigInt give `undefined`).
 * @param {unknown} value
 * @param {number} budget
 * @returns {string | undefined}
 */
export function plainJson(value, budget) {
  let left = budget;
  let plain = true;
  function replacer(key, v) {
    if (!plain) return undefined;
    // `this[key] !== v`: a toJSON method replaced the value (Date, or any object that has one)
    if (--left < 0 || this[key] !== v) {
      plain = false;
      return undefined;
    }
    switch (typeof v) {
      case "string":
      case "boolean":
        return v;
      case "number":
        if (!Number.isFinite(v)) plain = false;
        return v;
      case "object": {
        if (v === null || Array.isArray(v)) return v;
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) plain = false;
        return v;
      }
      default:
        // undefined, function, symbol, bigint
        plain = false;
        return undefined;
    }
  }
  let text;
  try {
    text = JSON.stringify(value, replacer);
  } catch {
    return undefined;
  }
  return plain && typeof text === "string" ? text : undefined;
}
