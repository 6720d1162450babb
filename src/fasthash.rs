//! A small, fast, deterministic hasher (the Fx multiply-rotate hash used by rustc) for the hot
//! paths' hash maps keyed by short ids. Not DoS-resistant, which is fine here: the maps live
//! for one evaluation of one seller's own data, and nothing depends on their iteration order
//! (every sum over them is sorted or order-independent).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The Fx hasher.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(rest) {
                *d = *s;
            }
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_i32(&mut self, i: i32) {
        self.add(i as u32 as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_i64(&mut self, i: i64) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // A multiply only carries upwards, so the low bits of `hash` depend only on the low bytes
        // of the input: ids that differ in their last characters (`customer-000123`) would share
        // buckets (the map takes its bucket from the low bits). Rotating the well-mixed high bits
        // down fixes that (as rustc-hash 2 does).
        self.hash.rotate_left(26)
    }
}

/// A `HashMap` with the Fx hasher.
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// An empty map with room for `n` entries.
pub(crate) fn map_with_capacity<K, V>(n: usize) -> FxHashMap<K, V> {
    HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    /// Sequential ids with a common prefix spread over the buckets of a table.
    #[test]
    fn sequential_ids_use_many_buckets() {
        let b = BuildHasherDefault::<FxHasher>::default();
        let mask = (1u64 << 14) - 1;
        let mut used = std::collections::HashSet::new();
        for i in 0..16_384 {
            used.insert(b.hash_one(format!("customer-{i:06}").as_str()) & mask);
        }
        // a uniform hash fills ~63% of 16,384 buckets with 16,384 keys
        assert!(used.len() > 9_000, "{} buckets used", used.len());
    }
}
