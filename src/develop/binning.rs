//! Binning for scorecards: numeric columns get quantile pre-bins merged under a bad-rate trend
//! (monotone by pool-adjacent-violators, or one peak / one valley: each arm of the shape pooled
//! the same way, at the turning point that gives the highest information value), then a minimum
//! bin share and a maximum number of bins; categorical columns group rare categories and merge
//! categories of similar bad rate. Special values and missing values get bins of their own. WOE is
//! `ln(%good / %bad)` with a 0.5 continuity correction, so a higher WOE is a better (less risky)
//! bin.
//!
//! `auto` keeps the better monotone direction (higher IV), and takes a peak or a valley instead
//! only when that shape is real: its bins are not monotone, its IV beats the best monotone IV by
//! [`SHAPE_IV_GAIN`] (relative), and the extreme bin's bad rate differs from each arm's pooled
//! bad rate with a two-proportion z of at least [`SHAPE_MIN_Z`].

use serde::Serialize;

/// Relative IV gain a peak or valley needs over the best monotone binning to win under `auto`.
pub const SHAPE_IV_GAIN: f64 = 0.10;
/// Smallest two-proportion z between a peak's (valley's) extreme bin and each of its arms, pooled.
pub const SHAPE_MIN_Z: f64 = 3.0;

/// Shape of the bad rate along a numeric column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Ascending or descending, whichever has the higher information value; a peak or a valley
    /// when it is clearly better (see the module documentation).
    Auto,
    /// Bad rate rises with the value.
    Ascending,
    /// Bad rate falls as the value rises.
    Descending,
    /// Bad rate rises, then falls (one maximum).
    Peak,
    /// Bad rate falls, then rises (one minimum).
    Valley,
}

/// Binning settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinningOptions {
    /// Quantile pre-bins before merging.
    pub prebins: usize,
    /// Most regular bins per column (special and missing bins not counted).
    pub max_bins: usize,
    /// Smallest share of the column's regular rows in one bin (and the share under which a
    /// category is pooled with the other rare ones).
    pub min_share: f64,
    /// Bad-rate trend of numeric columns.
    pub trend: Trend,
    /// Special numeric codes, each binned on its own.
    pub special: Vec<f64>,
}

impl Default for BinningOptions {
    fn default() -> Self {
        BinningOptions { prebins: 20, max_bins: 6, min_share: 0.05, trend: Trend::Auto, special: Vec::new() }
    }
}

/// What a bin takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum BinKind {
    /// Missing values.
    Missing,
    /// One special code.
    Special {
        /// The code.
        value: f64,
    },
    /// `[lower, upper)`; `None` is unbounded.
    Interval {
        /// Inclusive lower bound.
        lower: Option<f64>,
        /// Exclusive upper bound.
        upper: Option<f64>,
    },
    /// A group of categories; `other` marks the group that also takes unseen categories.
    Categories {
        /// The categories.
        values: Vec<String>,
        /// Takes categories not seen in training (the rare-category pool).
        other: bool,
    },
}

/// One bin's statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinStats {
    /// What the bin takes.
    #[serde(flatten)]
    pub kind: BinKind,
    /// Readable description.
    pub label: String,
    /// Rows.
    pub count: usize,
    /// Bad rows.
    pub bads: usize,
    /// Bad rate.
    pub bad_rate: f64,
    /// Weight of evidence, `ln(%good / %bad)` (smoothed).
    pub woe: f64,
    /// This bin's part of the information value.
    pub iv: f64,
}

/// A column's binning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnBinning {
    /// Column name.
    pub name: String,
    /// Numeric (intervals) or categorical.
    pub numeric: bool,
    /// Trend chosen for a numeric column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<Trend>,
    /// Information value.
    pub iv: f64,
    /// The bins.
    pub bins: Vec<BinStats>,
    /// The bin of every training row (same order as the input).
    #[serde(skip)]
    pub assign: Vec<usize>,
}

impl ColumnBinning {
    /// The WOE of each training row.
    pub fn woe_column(&self) -> Vec<f64> {
        self.assign.iter().map(|&b| self.bins.get(b).map_or(0.0, |s| s.woe)).collect()
    }
}

/// A cell of a training column.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Missing.
    Missing,
    /// A number.
    Num(f64),
    /// A category.
    Text(String),
}

#[derive(Debug, Clone, Copy)]
struct Block {
    count: f64,
    bads: f64,
    /// index of the first pre-bin / group in the block
    first: usize,
    /// one past the last
    end: usize,
}

impl Block {
    fn rate(&self) -> f64 {
        if self.count > 0.0 {
            self.bads / self.count
        } else {
            0.0
        }
    }
    fn merge(self, o: Block) -> Block {
        Block { count: self.count + o.count, bads: self.bads + o.bads, first: self.first.min(o.first), end: self.end.max(o.end) }
    }
}

/// Pool adjacent violators: merges blocks until the bad rate is non-decreasing (`ascending`) or
/// non-increasing.
fn pava(blocks: &[Block], ascending: bool) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for &b in blocks {
        out.push(b);
        while out.len() >= 2 {
            let n = out.len();
            let (a, c) = (out[n - 2], out[n - 1]);
            let violates = if ascending { a.rate() >= c.rate() } else { a.rate() <= c.rate() };
            if !violates {
                break;
            }
            out.truncate(n - 2);
            out.push(a.merge(c));
        }
    }
    out
}

/// Merges small and surplus blocks (adjacent only, so a monotone sequence stays monotone).
fn constrain(mut blocks: Vec<Block>, total: f64, opt: &BinningOptions) -> Vec<Block> {
    let min_count = opt.min_share * total;
    loop {
        if blocks.len() <= 1 {
            break;
        }
        // the smallest block under the minimum share, or one without goods or without bads
        let small = blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.count < min_count || b.bads <= 0.0 || b.bads >= b.count)
            .min_by(|x, y| x.1.count.total_cmp(&y.1.count))
            .map(|(i, _)| i);
        let Some(i) = small else { break };
        let j = neighbour(&blocks, i);
        merge_at(&mut blocks, i.min(j));
    }
    while blocks.len() > opt.max_bins.max(1) {
        // the adjacent pair with the closest bad rates
        let mut best = 0;
        let mut best_d = f64::INFINITY;
        for k in 0..blocks.len() - 1 {
            let d = (blocks[k].rate() - blocks[k + 1].rate()).abs();
            if d < best_d {
                best_d = d;
                best = k;
            }
        }
        merge_at(&mut blocks, best);
    }
    blocks
}

fn neighbour(blocks: &[Block], i: usize) -> usize {
    let r = blocks[i].rate();
    match (i.checked_sub(1), (i + 1 < blocks.len()).then_some(i + 1)) {
        (Some(l), Some(h)) => {
            if (blocks[l].rate() - r).abs() <= (blocks[h].rate() - r).abs() {
                l
            } else {
                h
            }
        }
        (Some(l), None) => l,
        (None, Some(h)) => h,
        (None, None) => i,
    }
}

fn merge_at(blocks: &mut Vec<Block>, k: usize) {
    if k + 1 < blocks.len() {
        let b = blocks.remove(k + 1);
        blocks[k] = blocks[k].merge(b);
    }
}

fn woe_iv(bins: &mut [BinStats], total_bads: f64, total_goods: f64) -> f64 {
    let mut iv = 0.0;
    for b in bins.iter_mut() {
        let bads = b.bads as f64;
        let goods = (b.count - b.bads) as f64;
        let woe = libm::log(((goods + 0.5) / (total_goods + 0.5)) / ((bads + 0.5) / (total_bads + 0.5)));
        b.woe = round9(woe);
        b.bad_rate = if b.count > 0 { round9(bads / b.count as f64) } else { 0.0 };
        b.iv = round9((goods / total_goods - bads / total_bads) * woe);
        iv += b.iv;
    }
    round9(iv)
}

fn round9(x: f64) -> f64 {
    libm::round(x * 1e9) / 1e9
}

fn fmt_num(x: f64) -> String {
    let s = format!("{}", libm::round(x * 1e6) / 1e6);
    s
}

/// Bins a numeric column (`cells` are numbers or missing; `bad[i]` is the label of row `i`).
pub fn bin_numeric(name: &str, cells: &[Cell], bad: &[bool], opt: &BinningOptions) -> ColumnBinning {
    let xs: Vec<f64> = cells.iter().map(|c| if let Cell::Num(x) = c { *x } else { f64::NAN }).collect();
    bin_numeric_values(name, &xs, bad, opt)
}

/// Bins a numeric column given as numbers, `NaN` for a missing value (`bad[i]` is the label of
/// row `i`). Same result as [`bin_numeric`].
pub fn bin_numeric_values(name: &str, xs: &[f64], bad: &[bool], opt: &BinningOptions) -> ColumnBinning {
    let total_bads = bad.iter().filter(|b| **b).count() as f64;
    let total_goods = bad.len() as f64 - total_bads;
    // regular values, sorted once
    let mut regular: Vec<(f64, bool)> = Vec::with_capacity(xs.len());
    let mut missing = (0usize, 0usize);
    let mut special: Vec<(f64, usize, usize)> = Vec::new();
    for (&x, &y) in xs.iter().zip(bad) {
        if x.is_nan() {
            missing.0 += 1;
            missing.1 += usize::from(y);
        } else if !opt.special.is_empty() && opt.special.contains(&x) {
            match special.iter_mut().find(|s| s.0 == x) {
                Some(s) => {
                    s.1 += 1;
                    s.2 += usize::from(y);
                }
                None => special.push((x, 1, usize::from(y))),
            }
        } else {
            regular.push((x, y));
        }
    }
    special.sort_by(|a, b| a.0.total_cmp(&b.0));
    regular.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    // distinct values
    let mut distinct: Vec<(f64, f64, f64)> = Vec::new(); // value, count, bads
    for &(x, y) in &regular {
        match distinct.last_mut() {
            Some(d) if d.0 == x => {
                d.1 += 1.0;
                d.2 += f64::from(u8::from(y));
            }
            _ => distinct.push((x, 1.0, f64::from(u8::from(y)))),
        }
    }
    // quantile pre-bins over distinct values
    let n = regular.len() as f64;
    let target = (n / opt.prebins.max(1) as f64).max(1.0);
    let mut pre: Vec<Block> = Vec::new();
    let mut cur = Block { count: 0.0, bads: 0.0, first: 0, end: 0 };
    for (i, d) in distinct.iter().enumerate() {
        // a value as frequent as a whole pre-bin is a pre-bin of its own (a spike such as a
        // standard loan term can carry a bad rate unlike its neighbours')
        if d.1 >= target && cur.count > 0.0 {
            pre.push(cur);
            cur = Block { count: 0.0, bads: 0.0, first: i, end: i };
        }
        if cur.count == 0.0 {
            cur.first = i;
        }
        cur.count += d.1;
        cur.bads += d.2;
        cur.end = i + 1;
        if cur.count >= target {
            pre.push(cur);
            cur = Block { count: 0.0, bads: 0.0, first: i + 1, end: i + 1 };
        }
    }
    if cur.count > 0.0 {
        match pre.last_mut() {
            // a thin last pre-bin joins the previous one
            Some(last) if cur.count < target / 2.0 => *last = last.merge(cur),
            _ => pre.push(cur),
        }
    }
    let build = |trend: Trend, blocks: &[Block]| -> ColumnBinning {
        let mut bins = Vec::with_capacity(blocks.len() + special.len() + 1);
        if missing.0 > 0 {
            bins.push(stats(BinKind::Missing, "missing".into(), missing.0, missing.1));
        }
        for s in &special {
            bins.push(stats(BinKind::Special { value: s.0 }, format!("special {}", fmt_num(s.0)), s.1, s.2));
        }
        let mut cuts: Vec<f64> = Vec::new();
        for w in blocks.windows(2) {
            // cut halfway between the last value of one block and the first of the next
            let lo = distinct.get(w[0].end.saturating_sub(1)).map_or(0.0, |d| d.0);
            let hi = distinct.get(w[1].first).map_or(lo, |d| d.0);
            let mid = lo + (hi - lo) / 2.0;
            cuts.push(if mid > lo { round_cut(mid, lo, hi) } else { hi });
        }
        for (k, b) in blocks.iter().enumerate() {
            let lower = if k == 0 { None } else { cuts.get(k - 1).copied() };
            let upper = cuts.get(k).copied();
            let label = match (lower, upper) {
                (None, None) => "all values".to_string(),
                (None, Some(u)) => format!("< {}", fmt_num(u)),
                (Some(l), None) => format!(">= {}", fmt_num(l)),
                (Some(l), Some(u)) => format!("[{}, {})", fmt_num(l), fmt_num(u)),
            };
            bins.push(stats(BinKind::Interval { lower, upper }, label, b.count as usize, b.bads as usize));
        }
        if blocks.is_empty() {
            bins.push(stats(BinKind::Interval { lower: None, upper: None }, "all values".into(), 0, 0));
        }
        let iv = woe_iv(&mut bins, total_bads, total_goods);
        ColumnBinning { name: name.to_string(), numeric: true, trend: Some(trend), iv, bins, assign: Vec::new() }
    };
    let mono = |ascending: bool| constrain(pava(&pre, ascending), n, opt);
    let shaped = |peak: bool, strict: bool| best_shape(&pre, peak, strict, n, total_bads, total_goods, opt);
    let mut cb = match opt.trend {
        Trend::Ascending => build(Trend::Ascending, &mono(true)),
        Trend::Descending => build(Trend::Descending, &mono(false)),
        Trend::Peak => build(Trend::Peak, &shaped(true, false).unwrap_or_else(|| mono(true))),
        Trend::Valley => build(Trend::Valley, &shaped(false, false).unwrap_or_else(|| mono(false))),
        Trend::Auto => {
            let asc = build(Trend::Ascending, &mono(true));
            let desc = build(Trend::Descending, &mono(false));
            let mut best = if desc.iv > asc.iv + 1e-12 { desc } else { asc };
            let floor = best.iv + SHAPE_IV_GAIN * best.iv.abs();
            let mut best_shape: Option<ColumnBinning> = None;
            for (trend, peak) in [(Trend::Peak, true), (Trend::Valley, false)] {
                let Some(blocks) = shaped(peak, true) else { continue };
                let cb = build(trend, &blocks);
                if cb.iv > floor + 1e-12 && shape_is_significant(&blocks, peak) && best_shape.as_ref().is_none_or(|b| cb.iv > b.iv + 1e-12)
                {
                    best_shape = Some(cb);
                }
            }
            if let Some(s) = best_shape {
                best = s;
            }
            best
        }
    };
    // rows to bins: missing, special, then the interval by binary search over the cut points
    let missing_bin = cb.bins.iter().position(|b| b.kind == BinKind::Missing).unwrap_or(0);
    let first_regular = cb.bins.iter().position(|b| matches!(b.kind, BinKind::Interval { .. })).unwrap_or(0);
    let cuts: Vec<f64> =
        cb.bins.iter().filter_map(|b| if let BinKind::Interval { lower: Some(l), .. } = b.kind { Some(l) } else { None }).collect();
    cb.assign = xs
        .iter()
        .map(|&x| {
            if x.is_nan() {
                missing_bin
            } else if let Some(k) = special.iter().position(|s| s.0 == x) {
                usize::from(missing.0 > 0) + k
            } else {
                first_regular + cuts.partition_point(|&c| c <= x)
            }
        })
        .collect();
    cb
}

/// IV of the regular bins alone (unrounded), for comparing binnings of one column.
fn blocks_iv(blocks: &[Block], total_bads: f64, total_goods: f64) -> f64 {
    blocks
        .iter()
        .map(|b| {
            let goods = b.count - b.bads;
            let woe = libm::log(((goods + 0.5) / (total_goods + 0.5)) / ((b.bads + 0.5) / (total_bads + 0.5)));
            (goods / total_goods - b.bads / total_bads) * woe
        })
        .sum()
}

fn is_monotone(blocks: &[Block]) -> bool {
    blocks.windows(2).all(|w| w[0].rate() <= w[1].rate()) || blocks.windows(2).all(|w| w[0].rate() >= w[1].rate())
}

/// The best one-peak (`peak`) or one-valley binning of the pre-bins: for every turning point,
/// each arm is pooled to its monotone direction, then constrained; the highest IV wins (the first
/// turning point on ties). With `strict`, only binnings that stay non-monotone after the
/// constraints count. `None` when there is none.
fn best_shape(
    pre: &[Block],
    peak: bool,
    strict: bool,
    total: f64,
    total_bads: f64,
    total_goods: f64,
    opt: &BinningOptions,
) -> Option<Vec<Block>> {
    let mut best: Option<(f64, Vec<Block>)> = None;
    let turns = if strict { 1..pre.len() } else { 0..pre.len() + 1 };
    for k in turns {
        let (left, right) = pre.split_at(k);
        let mut blocks = pava(left, peak);
        blocks.extend(pava(right, !peak));
        let blocks = constrain(blocks, total, opt);
        if strict && is_monotone(&blocks) {
            continue;
        }
        let iv = blocks_iv(&blocks, total_bads, total_goods);
        if best.as_ref().is_none_or(|b| iv > b.0 + 1e-12) {
            best = Some((iv, blocks));
        }
    }
    best.map(|b| b.1)
}

/// Whether a peak's (valley's) extreme bin differs from each arm, pooled, by a two-proportion z of
/// at least [`SHAPE_MIN_Z`] in the shape's direction.
fn shape_is_significant(blocks: &[Block], peak: bool) -> bool {
    let extreme = blocks
        .iter()
        .enumerate()
        .reduce(|a, b| if (peak && b.1.rate() > a.1.rate()) || (!peak && b.1.rate() < a.1.rate()) { b } else { a })
        .map(|(i, _)| i);
    let Some(e) = extreme else { return false };
    let (left, rest) = blocks.split_at(e);
    let Some((&mid, right)) = rest.split_first() else { return false };
    let pool = |bs: &[Block]| bs.iter().fold(Block { count: 0.0, bads: 0.0, first: 0, end: 0 }, |a, &b| a.merge(b));
    let z = |arm: Block| -> f64 {
        if arm.count <= 0.0 || mid.count <= 0.0 {
            return 0.0;
        }
        let p = (arm.bads + mid.bads) / (arm.count + mid.count);
        let se = (p * (1.0 - p) * (1.0 / arm.count + 1.0 / mid.count)).sqrt();
        if se <= 0.0 {
            return 0.0;
        }
        let d = if peak { mid.rate() - arm.rate() } else { arm.rate() - mid.rate() };
        d / se
    };
    !left.is_empty() && !right.is_empty() && z(pool(left)) >= SHAPE_MIN_Z && z(pool(right)) >= SHAPE_MIN_Z
}

/// A cut point between `lo` and `hi` with as few digits as possible.
fn round_cut(mid: f64, lo: f64, hi: f64) -> f64 {
    for digits in 0..12 {
        let p = libm::pow(10.0, f64::from(digits));
        let r = libm::round(mid * p) / p;
        if r > lo && r <= hi {
            return r;
        }
    }
    mid
}

fn stats(kind: BinKind, label: String, count: usize, bads: usize) -> BinStats {
    BinStats { kind, label, count, bads, bad_rate: 0.0, woe: 0.0, iv: 0.0 }
}

/// The bin a numeric cell falls in.
pub fn assign_numeric(bins: &[BinStats], c: &Cell) -> usize {
    for (i, b) in bins.iter().enumerate() {
        let hit = match (&b.kind, c) {
            (BinKind::Missing, Cell::Missing | Cell::Text(_)) => true,
            (BinKind::Special { value }, Cell::Num(x)) => x == value,
            _ => false,
        };
        if hit {
            return i;
        }
    }
    if let Cell::Num(x) = c {
        for (i, b) in bins.iter().enumerate() {
            if let BinKind::Interval { lower, upper } = b.kind {
                if lower.is_none_or(|l| *x >= l) && upper.is_none_or(|u| *x < u) {
                    return i;
                }
            }
        }
    }
    0
}

/// Code of a missing value in [`bin_categorical_codes`].
pub const MISSING_CODE: u32 = u32::MAX;

/// Bins a categorical column.
pub fn bin_categorical(name: &str, cells: &[Cell], bad: &[bool], opt: &BinningOptions) -> ColumnBinning {
    let mut index: crate::fasthash::FxHashMap<String, u32> = crate::fasthash::map_with_capacity(64);
    let mut dict: Vec<String> = Vec::new();
    let codes: Vec<u32> = cells
        .iter()
        .map(|c| {
            let key = match c {
                Cell::Text(t) => t.clone(),
                Cell::Num(x) => fmt_num(*x),
                Cell::Missing => return MISSING_CODE,
            };
            *index.entry(key).or_insert_with_key(|k| {
                dict.push(k.clone());
                (dict.len() - 1) as u32
            })
        })
        .collect();
    bin_categorical_codes(name, &codes, &dict, bad, opt)
}

/// Bins a categorical column given as codes into `dict` (distinct category names; entries no row
/// uses are ignored), [`MISSING_CODE`] for a missing value. Same result as [`bin_categorical`].
pub fn bin_categorical_codes<S: AsRef<str>>(name: &str, codes: &[u32], dict: &[S], bad: &[bool], opt: &BinningOptions) -> ColumnBinning {
    let total_bads = bad.iter().filter(|b| **b).count() as f64;
    let total_goods = bad.len() as f64 - total_bads;
    let mut counts: Vec<(f64, f64)> = vec![(0.0, 0.0); dict.len()];
    let mut missing = (0usize, 0usize);
    for (&c, &y) in codes.iter().zip(bad) {
        match counts.get_mut(c as usize) {
            Some(e) => {
                e.0 += 1.0;
                e.1 += f64::from(u8::from(y));
            }
            None => {
                missing.0 += 1;
                missing.1 += usize::from(y);
            }
        }
    }
    let text = |c: u32| dict.get(c as usize).map_or("", AsRef::as_ref);
    // categories in name order
    let mut cats: Vec<u32> = (0..dict.len() as u32).filter(|&c| counts.get(c as usize).is_some_and(|e| e.0 > 0.0)).collect();
    cats.sort_unstable_by(|&a, &b| text(a).cmp(text(b)));
    let n: f64 = cats.iter().map(|&c| counts[c as usize].0).sum();
    // groups: each frequent category alone, rare ones pooled
    let mut groups: Vec<(Vec<u32>, f64, f64, bool)> = Vec::new();
    let mut rare: (Vec<u32>, f64, f64, bool) = (Vec::new(), 0.0, 0.0, true);
    for &k in &cats {
        let (cnt, bads) = counts[k as usize];
        if cnt < opt.min_share * n {
            rare.0.push(k);
            rare.1 += cnt;
            rare.2 += bads;
        } else {
            groups.push((vec![k], cnt, bads, false));
        }
    }
    if !rare.0.is_empty() {
        groups.push(rare);
    }
    // order by bad rate (ties by name, for determinism), then merge like numeric blocks
    groups.sort_by(|a, b| (a.2 / a.1).total_cmp(&(b.2 / b.1)).then_with(|| a.0.iter().map(|&c| text(c)).cmp(b.0.iter().map(|&c| text(c)))));
    let blocks: Vec<Block> = groups.iter().enumerate().map(|(i, g)| Block { count: g.1, bads: g.2, first: i, end: i + 1 }).collect();
    let blocks = constrain(blocks, n, opt);
    let mut bins = Vec::new();
    if missing.0 > 0 {
        bins.push(stats(BinKind::Missing, "missing".into(), missing.0, missing.1));
    }
    let first_group_bin = bins.len();
    let mut rare_count = 0;
    for b in &blocks {
        let mut values: Vec<String> = Vec::new();
        let mut other = false;
        for g in groups.get(b.first..b.end).unwrap_or(&[]) {
            // rare categories are not listed: the `other` bin takes them (and unseen ones)
            if g.3 {
                other = true;
                rare_count = g.0.len();
            } else {
                values.extend(g.0.iter().map(|&c| text(c).to_string()));
            }
        }
        values.sort();
        let shown: Vec<&str> = values.iter().take(6).map(String::as_str).collect();
        let mut label = shown.join(" | ");
        if values.len() > shown.len() {
            label.push_str(&format!(" | ... ({} categories)", values.len()));
        }
        if other {
            label.push_str(&format!("{}{rare_count} rare categories (and unseen)", if values.is_empty() { "" } else { " | " }));
        }
        bins.push(stats(BinKind::Categories { values, other }, label, b.count as usize, b.bads as usize));
    }
    let iv = woe_iv(&mut bins, total_bads, total_goods);
    let mut cb = ColumnBinning { name: name.to_string(), numeric: false, trend: None, iv, bins, assign: Vec::new() };
    let other_bin = cb.bins.iter().position(|b| matches!(b.kind, BinKind::Categories { other: true, .. })).unwrap_or(0);
    let missing_bin = cb.bins.iter().position(|b| b.kind == BinKind::Missing).unwrap_or(0);
    // every listed category's bin (rare ones keep the `other` bin)
    let mut code_bin: Vec<usize> = vec![other_bin; dict.len()];
    for (k, b) in blocks.iter().enumerate() {
        for g in groups.get(b.first..b.end).unwrap_or(&[]) {
            if !g.3 {
                for &c in &g.0 {
                    if let Some(slot) = code_bin.get_mut(c as usize) {
                        *slot = first_group_bin + k;
                    }
                }
            }
        }
    }
    cb.assign = codes
        .iter()
        .map(|&c| if c == MISSING_CODE { missing_bin } else { code_bin.get(c as usize).copied().unwrap_or(other_bin) })
        .collect();
    cb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotone_numeric_bins_cover_and_rank() {
        // bad rate falls with x
        let xs: Vec<Cell> = (0..1000).map(|i| Cell::Num(f64::from(i % 100))).collect();
        let bad: Vec<bool> = (0..1000).map(|i| (i * 7919) % 100 < 60 - (i % 100) / 2).collect();
        let cb = bin_numeric("x", &xs, &bad, &BinningOptions::default());
        assert_eq!(cb.trend, Some(Trend::Descending));
        assert!(cb.bins.len() >= 2 && cb.bins.len() <= 6);
        let woes: Vec<f64> = cb.bins.iter().map(|b| b.woe).collect();
        assert!(woes.windows(2).all(|w| w[0] <= w[1]), "{woes:?}");
        assert!(cb.iv > 0.1);
        assert_eq!(cb.bins.iter().map(|b| b.count).sum::<usize>(), 1000);
    }

    #[test]
    fn special_missing_and_rare_categories() {
        let cells = vec![Cell::Num(-9.0), Cell::Missing, Cell::Num(1.0), Cell::Num(2.0)];
        let bad = vec![true, false, true, false];
        let opt = BinningOptions { special: vec![-9.0], min_share: 0.0, ..Default::default() };
        let cb = bin_numeric("x", &cells, &bad, &opt);
        assert_eq!(cb.bins[0].kind, BinKind::Missing);
        assert_eq!(cb.bins[1].kind, BinKind::Special { value: -9.0 });
        assert_eq!(cb.assign, vec![1, 0, 2, 2]);
        let cats: Vec<Cell> = (0..100).map(|i| Cell::Text(if i < 98 { ["a", "b"][i % 2].into() } else { format!("r{i}") })).collect();
        let bad: Vec<bool> = (0..100).map(|i| i % 3 == 0).collect();
        let cb = bin_categorical("c", &cats, &bad, &BinningOptions::default());
        let other = cb.bins.iter().position(|b| matches!(&b.kind, BinKind::Categories { other: true, .. })).unwrap();
        assert_eq!(cb.assign[98], other);
        assert!(!matches!(&cb.bins[other].kind, BinKind::Categories { values, .. } if values.contains(&"r98".to_string())));
    }
    /// A deterministic 0..1 draw per row.
    fn unit(i: u64) -> f64 {
        let mut z = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `n` rows of x in 0..100 with bad-rate curve `rate(x)`.
    fn sample(n: u64, rate: impl Fn(f64) -> f64) -> (Vec<f64>, Vec<bool>) {
        let xs: Vec<f64> = (0..n).map(|i| (unit(2 * i) * 100.0).floor()).collect();
        let bad = xs.iter().enumerate().map(|(i, &x)| unit(2 * i as u64 + 1) < rate(x)).collect();
        (xs, bad)
    }

    fn regular_rates(cb: &ColumnBinning) -> Vec<f64> {
        cb.bins.iter().filter(|b| matches!(b.kind, BinKind::Interval { .. })).map(|b| b.bad_rate).collect()
    }

    fn with(trend: Trend) -> BinningOptions {
        BinningOptions { trend, ..Default::default() }
    }

    #[test]
    fn u_shaped_risk_gets_a_valley_and_a_hump_a_peak() {
        // risky at both ends, safe in the middle
        let (xs, bad) = sample(4000, |x| 0.05 + 0.5 * ((x - 50.0) / 50.0).powi(2));
        let auto = bin_numeric_values("x", &xs, &bad, &BinningOptions::default());
        assert_eq!(auto.trend, Some(Trend::Valley));
        let rates = regular_rates(&auto);
        let low = rates.iter().copied().fold(f64::INFINITY, f64::min);
        let k = rates.iter().position(|&r| r == low).unwrap();
        assert!(k > 0 && k + 1 < rates.len(), "{rates:?}");
        assert!(rates[..=k].windows(2).all(|w| w[0] >= w[1]) && rates[k..].windows(2).all(|w| w[0] <= w[1]), "{rates:?}");
        for t in [Trend::Ascending, Trend::Descending] {
            let mono = bin_numeric_values("x", &xs, &bad, &with(t));
            assert!(auto.iv > 1.5 * mono.iv, "valley IV {} vs {t:?} {}", auto.iv, mono.iv);
        }
        assert_eq!(bin_numeric_values("x", &xs, &bad, &with(Trend::Valley)), auto);
        // bins within limits, every row in one, the real line covered
        assert!(auto.bins.len() <= 6 && auto.bins.iter().all(|b| b.count as f64 >= 0.05 * 4000.0));
        assert_eq!(auto.bins.iter().map(|b| b.count).sum::<usize>(), 4000);
        let cuts: Vec<(Option<f64>, Option<f64>)> = auto
            .bins
            .iter()
            .filter_map(|b| if let BinKind::Interval { lower, upper } = b.kind { Some((lower, upper)) } else { None })
            .collect();
        assert_eq!(cuts.first().map(|c| c.0), Some(None));
        assert_eq!(cuts.last().map(|c| c.1), Some(None));
        assert!(cuts.windows(2).all(|w| w[0].1.is_some() && w[0].1 == w[1].0));
        for (i, &x) in xs.iter().enumerate() {
            assert_eq!(auto.assign[i], assign_numeric(&auto.bins, &Cell::Num(x)));
        }

        // the mirror image: safe at both ends
        let (xs, bad) = sample(4000, |x| 0.55 - 0.5 * ((x - 50.0) / 50.0).powi(2));
        let auto = bin_numeric_values("x", &xs, &bad, &BinningOptions::default());
        assert_eq!(auto.trend, Some(Trend::Peak));
        let mono = bin_numeric_values("x", &xs, &bad, &with(Trend::Ascending));
        assert!(auto.iv > 1.5 * mono.iv);
    }

    #[test]
    fn monotone_and_weak_bumps_stay_monotone_under_auto() {
        // a clean monotone trend
        let (xs, bad) = sample(4000, |x| 0.05 + 0.004 * x);
        let cb = bin_numeric_values("x", &xs, &bad, &BinningOptions::default());
        assert_eq!(cb.trend, Some(Trend::Ascending));
        let rates = regular_rates(&cb);
        assert!(rates.windows(2).all(|w| w[0] <= w[1]), "{rates:?}");
        // a monotone trend with a small dip at the top: not worth a peak
        let (xs, bad) = sample(4000, |x| if x >= 95.0 { 0.38 } else { 0.05 + 0.004 * x });
        let cb = bin_numeric_values("x", &xs, &bad, &BinningOptions::default());
        assert_eq!(cb.trend, Some(Trend::Ascending));
        // no signal at all: nothing shaped is invented
        let (xs, bad) = sample(2000, |_| 0.3);
        let cb = bin_numeric_values("x", &xs, &bad, &BinningOptions::default());
        assert!(matches!(cb.trend, Some(Trend::Ascending | Trend::Descending)), "{:?}", cb.trend);
        // a forced shape on monotone data stays a valid binning
        let (xs, bad) = sample(4000, |x| 0.05 + 0.004 * x);
        let v = bin_numeric_values("x", &xs, &bad, &with(Trend::Valley));
        assert_eq!(v.trend, Some(Trend::Valley));
        assert_eq!(v.bins.iter().map(|b| b.count).sum::<usize>(), 4000);
    }

    #[test]
    fn a_heavy_value_is_a_pre_bin_of_its_own() {
        // 30% of rows at x = 84 with almost no bads, between risky neighbours (SBA loan terms)
        let xs: Vec<f64> = (0..3000u64).map(|i| if i % 10 < 3 { 84.0 } else { (unit(i) * 160.0).floor() }).collect();
        let bad: Vec<bool> = xs.iter().enumerate().map(|(i, &x)| unit(i as u64 + 7777) < if x == 84.0 { 0.01 } else { 0.4 }).collect();
        let cb = bin_numeric_values("term", &xs, &bad, &BinningOptions::default());
        let spike = cb.assign[0];
        assert!(cb.bins[spike].bad_rate < 0.05, "{:?}", cb.bins);
        assert!(matches!(cb.trend, Some(Trend::Valley | Trend::Peak)), "{:?}", cb.trend);
    }

    #[test]
    fn codes_and_cells_bin_alike() {
        let cells: Vec<Cell> = (0..300u32)
            .map(|i| match i % 7 {
                0 => Cell::Missing,
                1 => Cell::Num(f64::from(i % 3)),
                _ => Cell::Text(["a", "b", "c", "dd"][(i % 4) as usize].into()),
            })
            .collect();
        let bad: Vec<bool> = (0..300).map(|i| i % 5 < 2).collect();
        let a = bin_categorical("c", &cells, &bad, &BinningOptions::default());
        let dict = ["zz", "a", "b", "c", "dd", "0", "1", "2"];
        let code = |c: &Cell| match c {
            Cell::Missing => MISSING_CODE,
            Cell::Num(x) => 5 + *x as u32,
            Cell::Text(t) => dict.iter().position(|d| d == t).unwrap() as u32,
        };
        let codes: Vec<u32> = cells.iter().map(code).collect();
        assert_eq!(bin_categorical_codes("c", &codes, &dict, &bad, &BinningOptions::default()), a);
        let xs: Vec<Cell> = (0..300u32).map(|i| if i % 9 == 0 { Cell::Missing } else { Cell::Num(f64::from(i % 40)) }).collect();
        let nums: Vec<f64> = xs.iter().map(|c| if let Cell::Num(x) = c { *x } else { f64::NAN }).collect();
        assert_eq!(
            bin_numeric("x", &xs, &bad, &BinningOptions::default()),
            bin_numeric_values("x", &nums, &bad, &BinningOptions::default())
        );
    }
}
