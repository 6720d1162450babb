//! Binning for scorecards: numeric columns get quantile pre-bins merged under a monotonic bad-rate
//! trend (pool-adjacent-violators), then a minimum bin share and a maximum number of bins;
//! categorical columns group rare categories and merge categories of similar bad rate. Special
//! values and missing values get bins of their own. WOE is `ln(%good / %bad)` with a 0.5
//! continuity correction, so a higher WOE is a better (less risky) bin.

use serde::Serialize;

/// Direction of the bad rate along a numeric column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Try both directions, keep the one with the higher information value.
    Auto,
    /// Bad rate rises with the value.
    Ascending,
    /// Bad rate falls as the value rises.
    Descending,
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
    /// Monotonic trend of numeric columns.
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
    let total_bads = bad.iter().filter(|b| **b).count() as f64;
    let total_goods = bad.len() as f64 - total_bads;
    // regular values, sorted
    let mut regular: Vec<(f64, bool)> = Vec::new();
    let mut missing = (0usize, 0usize);
    let mut special: Vec<(f64, usize, usize)> = Vec::new();
    for (c, &y) in cells.iter().zip(bad) {
        match c {
            Cell::Num(x) if opt.special.contains(x) => match special.iter_mut().find(|s| s.0 == *x) {
                Some(s) => {
                    s.1 += 1;
                    s.2 += usize::from(y);
                }
                None => special.push((*x, 1, usize::from(y))),
            },
            Cell::Num(x) => regular.push((*x, y)),
            _ => {
                missing.0 += 1;
                missing.1 += usize::from(y);
            }
        }
    }
    special.sort_by(|a, b| a.0.total_cmp(&b.0));
    regular.sort_by(|a, b| a.0.total_cmp(&b.0));
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
    let candidates: Vec<(Trend, Vec<Block>)> = match opt.trend {
        Trend::Ascending => vec![(Trend::Ascending, constrain(pava(&pre, true), n, opt))],
        Trend::Descending => vec![(Trend::Descending, constrain(pava(&pre, false), n, opt))],
        Trend::Auto => vec![
            (Trend::Ascending, constrain(pava(&pre, true), n, opt)),
            (Trend::Descending, constrain(pava(&pre, false), n, opt)),
        ],
    };
    let mut best: Option<ColumnBinning> = None;
    for (trend, blocks) in candidates {
        let mut bins = Vec::new();
        if missing.0 > 0 {
            bins.push(stats(BinKind::Missing, "missing".into(), missing.0, missing.1));
        }
        for s in &special {
            bins.push(stats(BinKind::Special { value: s.0 }, format!("special {}", fmt_num(s.0)), s.1, s.2));
        }
        let first_regular = bins.len();
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
        let cb = ColumnBinning { name: name.to_string(), numeric: true, trend: Some(trend), iv, bins, assign: Vec::new() };
        let _ = first_regular;
        if best.as_ref().is_none_or(|b| cb.iv > b.iv + 1e-12) {
            best = Some(cb);
        }
    }
    let mut cb = best.unwrap_or_else(|| ColumnBinning {
        name: name.to_string(),
        numeric: true,
        trend: None,
        iv: 0.0,
        bins: Vec::new(),
        assign: Vec::new(),
    });
    cb.assign = cells.iter().map(|c| assign_numeric(&cb.bins, c)).collect();
    cb
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

/// Bins a categorical column.
pub fn bin_categorical(name: &str, cells: &[Cell], bad: &[bool], opt: &BinningOptions) -> ColumnBinning {
    let total_bads = bad.iter().filter(|b| **b).count() as f64;
    let total_goods = bad.len() as f64 - total_bads;
    let mut cats: std::collections::BTreeMap<String, (f64, f64)> = std::collections::BTreeMap::new();
    let mut missing = (0usize, 0usize);
    for (c, &y) in cells.iter().zip(bad) {
        let key = match c {
            Cell::Text(t) => t.clone(),
            Cell::Num(x) => fmt_num(*x),
            Cell::Missing => {
                missing.0 += 1;
                missing.1 += usize::from(y);
                continue;
            }
        };
        let e = cats.entry(key).or_insert((0.0, 0.0));
        e.0 += 1.0;
        e.1 += f64::from(u8::from(y));
    }
    let n: f64 = cats.values().map(|v| v.0).sum();
    // groups: each frequent category alone, rare ones pooled
    let mut groups: Vec<(Vec<String>, f64, f64, bool)> = Vec::new();
    let mut rare: (Vec<String>, f64, f64, bool) = (Vec::new(), 0.0, 0.0, true);
    for (k, (cnt, bads)) in &cats {
        if *cnt < opt.min_share * n {
            rare.0.push(k.clone());
            rare.1 += cnt;
            rare.2 += bads;
        } else {
            groups.push((vec![k.clone()], *cnt, *bads, false));
        }
    }
    if !rare.0.is_empty() {
        groups.push(rare);
    }
    // order by bad rate (ties by name, for determinism), then merge like numeric blocks
    groups.sort_by(|a, b| (a.2 / a.1).total_cmp(&(b.2 / b.1)).then_with(|| a.0.cmp(&b.0)));
    let blocks: Vec<Block> =
        groups.iter().enumerate().map(|(i, g)| Block { count: g.1, bads: g.2, first: i, end: i + 1 }).collect();
    let blocks = constrain(blocks, n, opt);
    let mut bins = Vec::new();
    if missing.0 > 0 {
        bins.push(stats(BinKind::Missing, "missing".into(), missing.0, missing.1));
    }
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
                values.extend(g.0.iter().cloned());
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
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut other_bin = 0;
    let mut missing_bin = 0;
    for (i, b) in cb.bins.iter().enumerate() {
        match &b.kind {
            BinKind::Categories { values, other } => {
                for v in values {
                    index.insert(v.as_str(), i);
                }
                if *other {
                    other_bin = i;
                }
            }
            BinKind::Missing => missing_bin = i,
            _ => {}
        }
    }
    let assign = cells
        .iter()
        .map(|c| match c {
            Cell::Text(t) => index.get(t.as_str()).copied().unwrap_or(other_bin),
            Cell::Num(x) => index.get(fmt_num(*x).as_str()).copied().unwrap_or(other_bin),
            Cell::Missing => missing_bin,
        })
        .collect();
    cb.assign = assign;
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
}
