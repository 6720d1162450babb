//! The crate's slice sorts, small in the wasm module.
//!
//! std's slice sorts are generic over the element type *and* the comparator: every call site
//! gets its own copy of driftsort / quicksort, 4-7 KB each in the wasm module (21 of them were
//! ~130 KB raw before this module). Here:
//! - natively, every function is std's own sort (same behaviour and speed as before);
//! - in wasm, the algorithm is one non-generic stable merge sort over an index permutation
//!   ([`permutation`], then [`permute`] moves the elements), so a call site costs a small shim;
//!   slices of plain numbers ([`sort_f64`], [`sort_i64`]) go through one non-generic radix sort
//!   ([`sort_u64`]), which is faster than std's sort on large inputs (buyers of a store, order
//!   times of a generated store).
//!
//! Native and wasm give the same order: the comparator sorts are stable on both sides (a stable
//! sort's output is fully determined by the comparator), and the number sorts order by value,
//! where equal elements are indistinguishable. The wasm algorithms compile on every target and
//! the tests below run them natively against std; only the dispatch is `cfg`'d.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp` (as `slice::sort_by`).
#[inline]
pub(crate) fn sort_by<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], cmp: F) {
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(cmp);
    #[cfg(target_arch = "wasm32")]
    {
        let mut cmp = cmp;
        sort_by_dyn(v, &mut cmp);
    }
}

/// Sorts `v` stably by the key `f` (as `slice::sort_by_key`).
#[inline]
pub(crate) fn sort_by_key<T, K: Ord, F: FnMut(&T) -> K>(v: &mut [T], f: F) {
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by_key(f);
    #[cfg(target_arch = "wasm32")]
    {
        let mut f = f;
        sort_by_dyn(v, &mut |a, b| f(a).cmp(&f(b)));
    }
}

/// Sorts `v` stably in its `Ord` order (as `slice::sort`).
#[inline]
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    #[cfg(not(target_arch = "wasm32"))]
    v.sort();
    #[cfg(target_arch = "wasm32")]
    sort_by_dyn(v, &mut |a, b| a.cmp(b));
}

/// Sorts `xs` by `f64::total_cmp` (-NaN < -inf < ... < -0.0 < 0.0 < ... < inf < NaN). Elements
/// that compare equal have the same bits, so the result does not depend on the algorithm.
pub(crate) fn sort_f64(xs: &mut [f64]) {
    #[cfg(not(target_arch = "wasm32"))]
    xs.sort_by(f64::total_cmp);
    #[cfg(target_arch = "wasm32")]
    sort_f64_radix(xs);
}

/// Sorts `xs` ascending (equal integers are indistinguishable: any correct sort gives this order).
pub(crate) fn sort_i64(xs: &mut [i64]) {
    #[cfg(not(target_arch = "wasm32"))]
    xs.sort_unstable();
    #[cfg(target_arch = "wasm32")]
    sort_i64_radix(xs);
}

// ---------- the wasm algorithms (compiled everywhere, tested natively) ----------

/// The stable sort of the wasm build: generic only over the element type (two small closures);
/// the work is in the non-generic [`permutation`] and [`permute`].
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn sort_by_dyn<T>(v: &mut [T], cmp: &mut dyn FnMut(&T, &T) -> Ordering) {
    // input already in order (a map's keys, reasons ranked upstream) costs n - 1 compares and
    // no allocation, as in std's sort, which finds such runs natively
    if v.windows(2).all(|w| w.first().zip(w.get(1)).is_none_or(|(a, b)| cmp(a, b) != Ordering::Greater)) {
        return;
    }
    let mut perm = {
        let v: &[T] = v;
        permutation(v.len(), &mut |i, j| match (v.get(i), v.get(j)) {
            (Some(a), Some(b)) => cmp(a, b),
            _ => Ordering::Equal,
        })
    };
    permute(&mut perm, &mut |i, j| v.swap(i, j));
}

/// Sorted runs of this length are made by insertion before merging.
const RUN: usize = 16;

/// The stable sorted order of the indices `0..n` under `cmp` (which compares the elements at two
/// indices): `perm[k]` is the index of the element that goes to position `k`. Bottom-up merge
/// sort: binary insertion sort on runs of [`RUN`], then merges of doubling width between two
/// buffers; a merge whose halves are already in order is a copy (sorted input costs ~n compares).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn permutation(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    for run in a.chunks_mut(RUN) {
        for i in 1..run.len() {
            let (Some(&x), Some(head)) = (run.get(i), run.get(..i)) else { break };
            // after every element not greater than x: equal elements keep their order
            let pos = head.partition_point(|&y| cmp(y, x) != Ordering::Greater);
            if let Some(s) = run.get_mut(pos..=i) {
                s.rotate_right(1);
            }
        }
    }
    if n <= RUN {
        return a;
    }
    let mut b = vec![0usize; n];
    let mut width = RUN;
    while width < n {
        let step = width.saturating_mul(2);
        for (src, dst) in a.chunks(step).zip(b.chunks_mut(step)) {
            let (l, r) = src.split_at(width.min(src.len()));
            merge(l, r, dst, cmp);
        }
        std::mem::swap(&mut a, &mut b);
        width = step;
    }
    a
}

/// Merges the sorted runs `l` and `r` into `out` (`l.len() + r.len()` long); on ties `l` first.
fn merge(l: &[usize], r: &[usize], out: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    if let (Some(&a), Some(&b)) = (l.last(), r.first()) {
        if cmp(a, b) != Ordering::Greater {
            // already in order
            for (s, &x) in out.iter_mut().zip(l.iter().chain(r)) {
                *s = x;
            }
            return;
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut slots = out.iter_mut();
    while let (Some(&a), Some(&b)) = (l.get(i), r.get(j)) {
        let x = if cmp(b, a) == Ordering::Less {
            j += 1;
            b
        } else {
            i += 1;
            a
        };
        if let Some(s) = slots.next() {
            *s = x;
        }
    }
    // what is left of one side
    let rest = l.get(i..).unwrap_or(&[]).iter().chain(r.get(j..).unwrap_or(&[]));
    for (s, &x) in slots.zip(rest) {
        *s = x;
    }
}

/// Moves the elements so that position `k` receives the element at `perm[k]` (by swaps along the
/// cycles of the permutation, one per element). `perm` is used up (each entry is set to its own
/// index when its position is final).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn permute(perm: &mut [usize], swap: &mut dyn FnMut(usize, usize)) {
    for i in 0..perm.len() {
        let mut j = i;
        while let Some(p) = perm.get_mut(j) {
            let k = *p;
            *p = j;
            if k == i || k == j {
                break;
            }
            // position j takes the element at k; the element from i moves on to k
            swap(j, k);
            j = k;
        }
    }
}

/// `sort_f64` in wasm: the order-preserving u64 key of each double (sign flipped for positives,
/// all bits flipped for negatives: `total_cmp` order), radix-sorted, and back.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn sort_f64_radix(xs: &mut [f64]) {
    const SIGN: u64 = 1 << 63;
    let mut keys: Vec<u64> = xs
        .iter()
        .map(|x| {
            let b = x.to_bits();
            if b & SIGN != 0 { !b } else { b | SIGN }
        })
        .collect();
    sort_u64(&mut keys);
    for (x, k) in xs.iter_mut().zip(keys) {
        *x = f64::from_bits(if k & SIGN != 0 { k & !SIGN } else { !k });
    }
}

/// `sort_i64` in wasm: the key with the sign bit flipped (u64 order = i64 order), radix-sorted.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn sort_i64_radix(xs: &mut [i64]) {
    const SIGN: u64 = 1 << 63;
    let mut keys: Vec<u64> = xs.iter().map(|&x| x as u64 ^ SIGN).collect();
    sort_u64(&mut keys);
    for (x, k) in xs.iter_mut().zip(keys) {
        *x = (k ^ SIGN) as i64;
    }
}

/// Sorts `v` ascending: LSD radix sort, one byte per pass, skipping the bytes every key shares
/// (e.g. the exponent of similar doubles, the high bytes of timestamps); short slices by insertion.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn sort_u64(v: &mut [u64]) {
    let n = v.len();
    if n <= 64 {
        for i in 1..n {
            let (Some(&x), Some(head)) = (v.get(i), v.get(..i)) else { break };
            let pos = head.partition_point(|&y| y <= x);
            if let Some(s) = v.get_mut(pos..=i) {
                s.rotate_right(1);
            }
        }
        return;
    }
    let mut counts = [[0usize; 256]; 8];
    for &k in v.iter() {
        for (d, c) in counts.iter_mut().enumerate() {
            if let Some(c) = c.get_mut(((k >> (8 * d)) & 0xff) as usize) {
                *c += 1;
            }
        }
    }
    let mut buf = vec![0u64; n];
    let mut in_v = true;
    for (d, c) in counts.iter_mut().enumerate() {
        if c.contains(&n) {
            continue; // every key has the same byte d
        }
        let mut sum = 0;
        for m in c.iter_mut() {
            let t = *m;
            *m = sum;
            sum += t;
        }
        let (src, dst): (&[u64], &mut [u64]) = if in_v { (v, buf.as_mut_slice()) } else { (buf.as_slice(), v) };
        for &k in src {
            if let Some(p) = c.get_mut(((k >> (8 * d)) & 0xff) as usize) {
                if let Some(s) = dst.get_mut(*p) {
                    *s = k;
                }
                *p += 1;
            }
        }
        in_v = !in_v;
    }
    if !in_v {
        v.copy_from_slice(&buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::Rng;

    fn lengths() -> Vec<usize> {
        let mut l: Vec<usize> = (0..=70).collect();
        l.extend([95, 127, 128, 129, 200, 255, 256, 257, 500, 1000, 1023, 1024, 1025, 3000, 5000]);
        l
    }

    /// Elements with a key (many ties) and their original position: a stable sort by key keeps
    /// the positions of equal keys increasing.
    #[test]
    fn stable_sort_matches_std_with_many_ties() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for n in lengths() {
            for distinct in [1, 2, 3, 10, 1000, u64::MAX] {
                let v: Vec<(u64, usize)> = (0..n).map(|i| (rng.below(distinct), i)).collect();
                let mut expect = v.clone();
                expect.sort_by_key(|a| a.0);
                let mut got = v.clone();
                sort_by_dyn(&mut got, &mut |a, b| a.0.cmp(&b.0));
                assert_eq!(got, expect, "n {n}, distinct keys {distinct}");
                assert!(got.windows(2).all(|w| w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)));
                // descending comparator, as the call sites use
                let mut expect = v.clone();
                expect.sort_by_key(|a| std::cmp::Reverse(a.0));
                let mut got = v.clone();
                sort_by_dyn(&mut got, &mut |a, b| b.0.cmp(&a.0));
                assert_eq!(got, expect, "descending, n {n}, distinct keys {distinct}");
            }
        }
    }

    #[test]
    fn stable_sort_on_sorted_reversed_and_sawtooth_input() {
        for n in lengths() {
            let inputs: Vec<Vec<(usize, usize)>> = vec![
                (0..n).map(|i| (i, i)).collect(),
                (0..n).map(|i| (n - i, i)).collect(),
                (0..n).map(|i| (i % 7, i)).collect(),
                (0..n).map(|i| (i / 33, i)).collect(),
                (0..n).map(|i| ((n - i) / 5, i)).collect(),
            ];
            for v in inputs {
                let mut expect = v.clone();
                expect.sort_by_key(|p| p.0);
                let mut got = v.clone();
                sort_by_dyn(&mut got, &mut |a, b| a.0.cmp(&b.0));
                assert_eq!(got, expect, "n {n}");
            }
        }
    }

    /// Non-Copy elements (Strings), as the call sites sort structs.
    #[test]
    fn stable_sort_moves_owned_elements() {
        let mut rng = Rng(7);
        for n in [0, 1, 2, 17, 100, 1000] {
            let v: Vec<(String, String)> = (0..n).map(|i| (format!("k{}", rng.below(20)), format!("v{i}"))).collect();
            let mut expect = v.clone();
            expect.sort_by(|a, b| a.0.cmp(&b.0));
            let mut got = v;
            sort_by_dyn(&mut got, &mut |a, b| a.0.cmp(&b.0));
            assert_eq!(got, expect);
        }
    }

    #[test]
    fn empty_and_one_element() {
        let mut e: Vec<u8> = Vec::new();
        sort_by_dyn(&mut e, &mut |a, b| a.cmp(b));
        sort_by(&mut e, |a, b| a.cmp(b));
        sort(&mut e);
        assert!(e.is_empty());
        let mut one = vec![5u8];
        sort_by_dyn(&mut one, &mut |a, b| a.cmp(b));
        sort_by_key(&mut one, |&x| x);
        assert_eq!(one, [5]);
        assert!(permutation(0, &mut |_, _| Ordering::Equal).is_empty());
        let mut f: Vec<f64> = Vec::new();
        sort_f64_radix(&mut f);
        sort_f64(&mut f);
        let mut i: Vec<i64> = vec![-3];
        sort_i64_radix(&mut i);
        sort_i64(&mut i);
        assert_eq!(i, [-3]);
    }

    #[test]
    fn permute_applies_any_permutation() {
        let mut rng = Rng(99);
        for n in lengths() {
            let mut perm: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                perm.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let v: Vec<usize> = (0..n).map(|i| i * 10).collect();
            let expect: Vec<usize> = perm.iter().map(|&k| v[k]).collect();
            let mut got = v.clone();
            let mut p = perm.clone();
            permute(&mut p, &mut |i, j| got.swap(i, j));
            assert_eq!(got, expect, "n {n}");
        }
    }

    #[test]
    fn f64_sort_matches_total_cmp() {
        let mut rng = Rng(3);
        let specials = [0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, -f64::NAN, f64::MIN_POSITIVE, -f64::MIN_POSITIVE, 5e-324, -5e-324, f64::MAX, f64::MIN, 1.0, -1.0];
        for n in lengths() {
            for mode in 0..4 {
                let v: Vec<f64> = (0..n)
                    .map(|_| match mode {
                        0 => specials[rng.below(specials.len() as u64) as usize],
                        1 => (rng.below(50) as f64 - 25.0) / 4.0, // many ties
                        2 => f64::from_bits(rng.next_u64()),          // any bits, NaNs included
                        _ => {
                            let s = rng.below(1000) as f64 / 1000.0; // buyer shares
                            s * s
                        }
                    })
                    .collect();
                let mut expect = v.clone();
                expect.sort_by(f64::total_cmp);
                let mut got = v.clone();
                sort_f64_radix(&mut got);
                let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&got), bits(&expect), "n {n} mode {mode}");
                let mut native = v;
                sort_f64(&mut native);
                assert_eq!(bits(&native), bits(&expect));
            }
        }
    }

    #[test]
    fn integer_sorts_match_std() {
        let mut rng = Rng(11);
        for n in lengths() {
            for mode in 0..4 {
                let v: Vec<i64> = (0..n)
                    .map(|_| match mode {
                        0 => rng.next_u64() as i64,
                        1 => rng.below(5) as i64 - 2,
                        2 => 1_700_000_000 + rng.below(86_400 * 365) as i64, // timestamps
                        _ => [i64::MIN, i64::MAX, 0, -1, 1][rng.below(5) as usize],
                    })
                    .collect();
                let mut expect = v.clone();
                expect.sort();
                let mut got = v.clone();
                sort_i64_radix(&mut got);
                assert_eq!(got, expect, "n {n} mode {mode}");
                let mut native = v.clone();
                sort_i64(&mut native);
                assert_eq!(native, expect);
                let mut u: Vec<u64> = v.iter().map(|&x| x as u64).collect();
                let mut expect_u = u.clone();
                expect_u.sort();
                sort_u64(&mut u);
                assert_eq!(u, expect_u);
            }
        }
    }

    /// The dispatching functions (std natively) agree with the wasm algorithm.
    #[test]
    fn dispatch_agrees_with_wasm_algorithm() {
        let mut rng = Rng(5);
        let v: Vec<(u8, u16)> = (0..3000).map(|i| (rng.below(9) as u8, i as u16)).collect();
        let mut a = v.clone();
        sort_by(&mut a, |x, y| y.0.cmp(&x.0));
        let mut b = v.clone();
        sort_by_dyn(&mut b, &mut |x, y| y.0.cmp(&x.0));
        assert_eq!(a, b);
        let mut a = v.clone();
        sort_by_key(&mut a, |x| x.0);
        let mut b = v.clone();
        sort_by_dyn(&mut b, &mut |x, y| x.0.cmp(&y.0));
        assert_eq!(a, b);
        let mut a = v.clone();
        sort(&mut a);
        let mut b = v;
        sort_by_dyn(&mut b, &mut |x, y| x.cmp(y));
        assert_eq!(a, b);
    }
}
