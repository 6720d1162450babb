//! Synthetic stores for demos, tests and benchmarks.
//!
//! [`synth`] draws a realistic, valid [`StoreData`] for a [`Profile`] from a seed: the same
//! profile, options and seed give the same store natively and in wasm (a SplitMix64 generator and
//! `libm` for the few transcendental functions; no clock, no hash-map order). What is simulated:
//! a trend per profile, yearly seasonality (Chinese New Year lull, 618 in June, Singles' Day and
//! Double 12), a weekly cycle (weekend peak) and day-to-day noise; log-normal order values; a
//! buyer pool with repeat buyers; cancellations, full and partial refunds and disputes; ship-by,
//! shipping, promised and delivery dates (late ones too), with point-in-time status for the last
//! days; ratings that follow service; pending platform settlements (receivables); and, where the
//! profile calls for it, debt elsewhere and an earlier loan's repayment history.
//!
//! The profiles are meant to be recognisable to the engine: `wash_trading` adds same-day bursts
//! of identical amounts from a couple of colluding buyers; `delinquent` has installments 60+ days
//! overdue; `declining` loses most of its sales over the last months; `new` has about three
//! months of history. Documented in `docs/synth.md`.
//!
//! ```
//! use merchant_credit::synth::{synth, Profile, SynthOptions};
//! let opts = SynthOptions { orders: 500, seed: 7, ..SynthOptions::default() };
//! let store = synth(Profile::Healthy, &opts);
//! assert!(store.validate().is_ok());
//! assert_eq!(store.orders.len(), 500);
//! assert_eq!(store, synth(Profile::Healthy, &opts)); // deterministic per seed
//! ```

use crate::date::{Date, Timestamp};
use crate::sort;
use crate::store::{Liability, Merchant, Money, Order, OrderStatus, Owner, Receivable, Repayment, StoreData, StoreType, Finite};
use serde::{Deserialize, Serialize};

/// The kind of store to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Three years of steady, slightly growing sales, good service, an earlier loan repaid on time.
    Healthy,
    /// Two years, sales roughly quadrupling; a bank loan being serviced.
    Growing,
    /// Three years, sales falling to about a quarter over the last year; service and refunds worsen.
    Declining,
    /// Three years with strong peaks at 618, Singles' Day and Double 12, and a Chinese New Year lull.
    Seasonal,
    /// About three months of history.
    New,
    /// Normal history, then same-day bursts of identical-amount orders from colluding buyers.
    WashTrading,
    /// Normal sales, but an earlier loan's installments are 60+ days overdue and debt elsewhere is late.
    Delinquent,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 7] =
        [Profile::Healthy, Profile::Growing, Profile::Declining, Profile::Seasonal, Profile::New, Profile::WashTrading, Profile::Delinquent];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Healthy => "healthy",
            Profile::Growing => "growing",
            Profile::Declining => "declining",
            Profile::Seasonal => "seasonal",
            Profile::New => "new",
            Profile::WashTrading => "wash_trading",
            Profile::Delinquent => "delinquent",
        }
    }

    /// Parses a snake_case name (`wash-trading` is accepted too).
    pub fn parse(s: &str) -> Option<Profile> {
        let s = s.trim().replace('-', "_");
        Profile::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(&s))
    }
}

/// Options of [`synth`]. `Default`: 2,000 orders, seed 1, as of 2025-06-30, CNY.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SynthOptions {
    /// Orders to draw (clamped to 20..=2,000,000).
    pub orders: u32,
    /// The seed; the same seed gives the same store.
    pub seed: u64,
    /// The evaluation date (default 2025-06-30).
    pub as_of: Option<Date>,
    /// ISO 4217 currency (default CNY).
    pub currency: Option<String>,
    /// The merchant id (default `synth-{profile}-{seed}`).
    pub merchant_id: Option<String>,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions { orders: 2000, seed: 1, as_of: None, currency: None, merchant_id: None }
    }
}

/// SplitMix64: tiny, fast, and good enough for simulation; identical on every target. Also the
/// crate's tests' source of deterministic data.
#[derive(Debug, Clone)]
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    /// Standard normal (Box-Muller).
    fn normal(&mut self) -> f64 {
        let u = self.f64().max(1e-12);
        let v = self.f64();
        libm::sqrt(-2.0 * libm::log(u)) * libm::cos(std::f64::consts::TAU * v)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }
}

struct Params {
    history_days: i32,
    aov: f64,
    repeat: f64,
    cancel: f64,
    refund: f64,
    dispute: f64,
    late: f64,
    season: f64,
    store_type: StoreType,
    category: &'static str,
}

fn params(p: Profile) -> Params {
    let base = Params {
        history_days: 3 * 365,
        aov: 150.0,
        repeat: 0.35,
        cancel: 0.02,
        refund: 0.03,
        dispute: 0.002,
        late: 0.03,
        season: 0.25,
        store_type: StoreType::Reseller,
        category: "housewares",
    };
    match p {
        Profile::Healthy => base,
        Profile::Growing => Params { history_days: 2 * 365, aov: 180.0, store_type: StoreType::BrandManufacturer, category: "beauty", ..base },
        Profile::Declining => Params { cancel: 0.04, refund: 0.05, dispute: 0.004, late: 0.10, repeat: 0.25, ..base },
        Profile::Seasonal => Params { season: 1.0, aov: 220.0, store_type: StoreType::BrandManufacturer, category: "apparel", ..base },
        Profile::New => Params { history_days: 100, repeat: 0.12, ..base },
        Profile::WashTrading => Params { history_days: 2 * 365, category: "electronics", aov: 260.0, ..base },
        Profile::Delinquent => Params { cancel: 0.03, refund: 0.04, late: 0.06, ..base },
    }
}

/// Sales level at `t` in [0, 1] across the history.
fn trend(p: Profile, t: f64) -> f64 {
    match p {
        Profile::Healthy => 1.0 + 0.15 * t,
        Profile::Growing => libm::exp(libm::log(4.0) * t),
        Profile::Declining => {
            if t < 0.6 {
                1.0
            } else {
                1.0 - 0.78 * (t - 0.6) / 0.4
            }
        }
        Profile::Seasonal => 1.0 + 0.1 * t,
        Profile::New => 0.4 + 0.6 * t,
        Profile::WashTrading => 1.0,
        Profile::Delinquent => 1.0 - 0.2 * t,
    }
}

/// Yearly seasonality (amplitude `a`: 0 flat, 1 a strongly seasonal category).
fn season(d: Date, a: f64) -> f64 {
    let (_, m, day) = d.ymd();
    let lift = match (m, day) {
        (11, 1..=11) => 2.5,
        (12, 1..=12) => 1.6,
        (6, 1..=18) => 1.8,
        (11, _) | (12, _) => 0.6,
        (2, _) => -0.45,
        (1, 20..=31) => -0.3,
        (8, _) => -0.1,
        _ => 0.0,
    };
    (1.0 + a * lift).max(0.1)
}

const WEEKDAY: [f64; 7] = [1.0, 0.95, 0.95, 1.0, 1.1, 1.25, 1.2]; // Monday..Sunday

/// Draws a synthetic store. Always valid ([`StoreData::validate`] passes) and deterministic for a
/// given profile, options and seed.
pub fn synth(profile: Profile, opts: &SynthOptions) -> StoreData {
    let mut rng = Rng(opts.seed ^ (profile as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let as_of = opts.as_of.unwrap_or(Date(20_269)); // 2025-06-30
    let p = params(profile);
    let n = opts.orders.clamp(20, 2_000_000) as usize;
    let days = p.history_days.max(30);
    let start = as_of.add_days(-(days - 1));
    // wash trading: a quarter of the orders are same-day identical-amount bursts in the last 90 days
    let n_burst = if profile == Profile::WashTrading { n / 4 } else { 0 };
    let n_normal = n - n_burst;

    // day weights and their running sum
    let mut cum = Vec::with_capacity(days as usize);
    let mut total = 0.0;
    for i in 0..days {
        let d = start.add_days(i);
        let t = f64::from(i) / f64::from(days - 1).max(1.0);
        let wd = WEEKDAY.get(((d.0 + 3).rem_euclid(7)) as usize).copied().unwrap_or(1.0);
        let noise = (1.0 + 0.15 * rng.normal()).max(0.2);
        total += trend(profile, t) * season(d, p.season) * wd * noise;
        cum.push(total);
    }
    let mut times: Vec<i64> = (0..n_normal)
        .map(|_| {
            let u = rng.f64() * total;
            let day = cum.partition_point(|&c| c < u).min(cum.len() - 1) as i32;
            // evening-heavy hour of day
            let hour = (8.0 + 15.0 * libm::sqrt(rng.f64())) as i64;
            start.add_days(day).start().0 + hour * 3600 + rng.range(0, 3599)
        })
        .collect();
    // seconds as plain integers: one number sort shared in the wasm module (crate::sort)
    sort::sort_i64(&mut times);

    let mut orders: Vec<Order> = Vec::with_capacity(n);
    let mut buyers: u64 = 0;
    let end = as_of.add_days(1).start();
    for (k, placed) in times.iter().map(|&t| Timestamp(t)).enumerate() {
        let t = f64::from(as_of.days_since(placed.date()).max(0)) / f64::from(days);
        let t = 1.0 - t; // 0 at the start of the history, 1 at as_of
        let worse = if profile == Profile::Declining { 1.0 + 2.0 * libm::fmax(0.0, t - 0.6) / 0.4 } else { 1.0 };
        let buyer = if buyers > 0 && rng.chance(p.repeat) {
            // earlier buyers, biased toward the recent ones (a loyal core)
            let back = (libm::pow(rng.f64(), 2.0) * buyers as f64) as u64;
            buyers - back.min(buyers - 1)
        } else {
            buyers += 1;
            buyers
        };
        let amount = (p.aov * libm::exp(0.55 * rng.normal() - 0.15)).clamp(5.0, p.aov * 40.0);
        let amount = libm::round(amount * 100.0) / 100.0;
        orders.push(make_order(&mut rng, k, placed, amount, buyer, &p, worse, end));
    }

    if n_burst > 0 {
        let mut made = 0;
        let mut day = 0;
        while made < n_burst {
            let d = as_of.add_days(-(day % 88) - 1);
            day += 1;
            let size = rng.range(3, 6) as usize;
            let amount = [199.0, 299.0, 399.0].get(rng.below(3) as usize).copied().unwrap_or(299.0);
            let colluder = 1 + rng.below(2); // w1 or w2
            let t0 = d.start().0 + rng.range(9, 20) * 3600;
            for j in 0..size.min(n_burst - made) {
                let placed = Timestamp(t0 + j as i64 * rng.range(60, 600));
                let id = orders.len();
                let mut o = make_order(&mut rng, id, placed, amount, 0, &p, 1.0, end);
                o.buyer_id = Some(format!("w{colluder}"));
                o.status = if o.delivered_at.is_some() { OrderStatus::Delivered } else { o.status };
                o.refund_amount = None;
                o.rating = o.delivered_at.map(|_| 5); // glowing reviews
                orders.push(o);
                made += 1;
            }
        }
        sort::sort_by_key(&mut orders, |o| o.placed_at);
    }
    for (i, o) in orders.iter_mut().enumerate() {
        o.id = format!("o{}", i + 1);
    }

    let first = orders.first().map_or(as_of, |o| o.placed_at.date());
    let opened_on = if profile == Profile::New { first.add_days(-5) } else { first.add_days(-rng.range(20, 200) as i32) };

    // pending platform settlements: the last two weeks' delivered sales, settled weekly
    let mut receivables = Vec::new();
    for (w, due) in [(0, 4), (1, 11)] {
        let lo = as_of.add_days(-7 * (w + 1)).start();
        let hi = as_of.add_days(-7 * w).start();
        let sum: f64 = orders
            .iter()
            .filter(|o| o.placed_at >= lo && o.placed_at < hi && matches!(o.status, OrderStatus::Delivered | OrderStatus::Shipped))
            .map(|o| o.amount.0 - o.refund_amount.map_or(0.0, |r| r.0))
            .sum();
        if sum > 0.0 {
            receivables.push(Receivable {
                id: format!("s{}", w + 1),
                amount: Money(libm::round(sum * 0.97 * 100.0) / 100.0), // less the platform's commission
                due_on: as_of.add_days(due),
                counterparty: "platform".into(),
            });
        }
    }

    let monthly_gmv = {
        let lo = as_of.add_days(-90).start();
        orders.iter().filter(|o| o.placed_at >= lo).map(|o| o.amount.0).sum::<f64>() / 3.0
    };
    let money = |x: f64| Money(libm::round(x.max(0.0)));
    let mut liabilities = Vec::new();
    let mut repayments = Vec::new();
    match profile {
        Profile::Healthy | Profile::Seasonal => repayments = schedule(&mut rng, "l-2024-01", as_of.add_days(-330), 6, money(monthly_gmv * 0.15), |_, _| 0),
        Profile::Growing => liabilities.push(Liability {
            lender: "bank".into(),
            outstanding: money(monthly_gmv * 1.2),
            monthly_payment: money(monthly_gmv * 0.08),
            days_past_due: None,
        }),
        Profile::Delinquent => {
            // paid later and later, the last two not at all
            repayments = schedule(&mut rng, "l-2024-09", as_of.add_days(-200), 6, money(monthly_gmv * 0.2), |i, r| match i {
                0..=1 => r.range(3, 12),
                2 => r.range(25, 40),
                _ => -1,
            });
            liabilities.push(Liability {
                lender: "microlender".into(),
                outstanding: money(monthly_gmv * 0.8),
                monthly_payment: money(monthly_gmv * 0.12),
                days_past_due: Some(35),
            });
        }
        _ => {}
    }
    let declared = match profile {
        Profile::WashTrading => Some(money(monthly_gmv * 2.0)),
        Profile::New => None,
        _ => Some(money(monthly_gmv * (1.0 + 0.1 * rng.f64()))),
    };
    let owner = Owner {
        years_in_business: Some(Finite(match profile {
            Profile::New => 1.0,
            Profile::Growing => 4.0,
            _ => 8.0,
        })),
        bureau_score: Some(Finite(match profile {
            Profile::Delinquent => 560.0,
            Profile::New => 650.0,
            _ => 700.0 + rng.range(0, 60) as f64,
        })),
        personal_debt: Some(money(monthly_gmv * 0.3)),
        identity_verified: Some(true),
    };
    let store = StoreData {
        schema: None,
        as_of,
        currency: opts.currency.clone().unwrap_or_else(|| "CNY".into()),
        merchant: Merchant {
            id: opts.merchant_id.clone().unwrap_or_else(|| format!("synth-{}-{}", profile.as_str(), opts.seed)),
            store_type: p.store_type,
            opened_on: opened_on.min(as_of),
            platform: Some("synthetic".into()),
            category: Some(p.category.into()),
            region: None,
            declared_monthly_revenue: declared,
        },
        owner: Some(owner),
        orders,
        monthly: Vec::new(),
        receivables,
        liabilities,
        repayments,
    };
    debug_assert!(store.validate().is_ok(), "{:?}", store.validate());
    store
}

/// One order with its dates, status and rating, as known at `end` (the day after as_of).
#[allow(clippy::too_many_arguments)]
fn make_order(rng: &mut Rng, k: usize, placed: Timestamp, amount: f64, buyer: u64, p: &Params, worse: f64, end: Timestamp) -> Order {
    let h = 3600;
    let late = rng.chance(p.late * worse);
    let ship_delay = if late { rng.range(50, 120) } else { rng.range(3, 40) } * h;
    let ship_by = Timestamp(placed.0 + 48 * h);
    let shipped = Timestamp(placed.0 + ship_delay);
    let delivered = Timestamp(shipped.0 + rng.range(24, 110) * h + if late { 48 * h } else { 0 });
    let promised = placed.date().add_days(6).start(); // the promised delivery day
    let mut o = Order {
        id: format!("o{}", k + 1),
        placed_at: placed,
        amount: Money(amount),
        status: OrderStatus::Delivered,
        refund_amount: None,
        buyer_id: Some(format!("b{buyer}")),
        ship_by: Some(ship_by),
        promised_by: Some(promised),
        shipped_at: Some(shipped),
        delivered_at: Some(delivered),
        rating: None,
    };
    let u = rng.f64();
    if u < p.cancel * worse {
        o.status = OrderStatus::Cancelled;
        o.shipped_at = None;
        o.delivered_at = None;
        return o;
    }
    if u < (p.cancel + p.dispute) * worse {
        o.status = OrderStatus::Disputed;
    } else if u < (p.cancel + p.dispute + p.refund) * worse {
        if rng.chance(0.5) {
            o.status = OrderStatus::Refunded;
            o.refund_amount = Some(Money(amount));
        } else {
            o.refund_amount = Some(Money(libm::round(amount * (0.2 + 0.4 * rng.f64()) * 100.0) / 100.0));
        }
    }
    // what was known at as_of
    if delivered >= end {
        o.delivered_at = None;
        if o.status == OrderStatus::Delivered {
            o.status = OrderStatus::Shipped;
        }
        o.refund_amount = None;
        if matches!(o.status, OrderStatus::Refunded | OrderStatus::Disputed) {
            o.status = OrderStatus::Shipped;
        }
    }
    if shipped >= end {
        o.shipped_at = None;
        o.status = OrderStatus::Pending;
    }
    if o.delivered_at.is_some() && rng.chance(0.45) {
        let bad = if late { 0.35 } else { 0.05 * worse };
        let r = rng.f64();
        o.rating = Some(if r < bad * 0.5 {
            1
        } else if r < bad {
            2
        } else if r < bad + 0.08 {
            3
        } else if r < bad + 0.35 {
            4
        } else {
            5
        });
        if o.status == OrderStatus::Disputed || o.status == OrderStatus::Refunded {
            o.rating = Some(1 + rng.below(2) as u8);
        }
    }
    o
}

/// A monthly installment schedule from `first_due`; `paid_late(i, rng)` gives the days late of
/// installment `i` (negative: unpaid). Installments not yet due are listed unpaid.
fn schedule(rng: &mut Rng, loan: &str, first_due: Date, n: i32, amount: Money, mut paid_late: impl FnMut(i32, &mut Rng) -> i64) -> Vec<Repayment> {
    (0..n)
        .map(|i| {
            let due = first_due.add_months(i);
            let late = paid_late(i, rng);
            let (paid_on, amount_paid) = if late >= 0 { (Some(due.add_days(late as i32)), Some(amount)) } else { (None, None) };
            Repayment { loan_id: loan.into(), due_on: due, amount_due: amount, paid_on, amount_paid }
        })
        .collect()
}
