//! Arbitrary structured stores: every field the engine reads, with dates in the range the
//! parsers accept (1900-2200) and amounts that are mostly plausible but sometimes extreme.

use arbitrary::{Arbitrary, Unstructured};
use merchant_credit::date::{Date, Timestamp, YearMonth};
use merchant_credit::store::{
    Finite, Liability, Merchant, Money, MonthlySummary, Order, OrderStatus, Owner, Receivable, Repayment, StoreData, StoreType,
};

const DAY: i64 = 86_400;

#[derive(Debug, Arbitrary)]
pub struct FAmount {
    kind: u8,
    cents: u32,
    raw: f64,
}

impl FAmount {
    fn get(&self) -> f64 {
        match self.kind % 16 {
            0 => 0.0,
            1 => 1e13,
            2 if self.raw.is_finite() && self.raw >= 0.0 && self.raw <= 1e13 => self.raw,
            3 => f64::from(self.cents) * 1e3,
            _ => f64::from(self.cents % 10_000_000) / 100.0,
        }
    }
}

#[derive(Debug, Arbitrary)]
pub struct FOrder {
    id: u16,
    /// Seconds before the end of as_of (up to ~4 years).
    back: u32,
    amount: FAmount,
    status: u8,
    refund: Option<u16>, // per-mille of amount
    buyer: Option<u8>,
    ship_by: Option<u32>,
    promised_by: Option<u32>,
    shipped: Option<u32>,
    delivered: Option<u32>,
    rating: Option<u8>,
}

#[derive(Debug, Arbitrary)]
pub struct FMonth {
    back: u8,
    gmv: FAmount,
    orders: u16,
    refunds: Option<u16>,
    cancellations: Option<u16>,
    buyers: Option<u16>,
    disputes: Option<u8>,
    rating: Option<u8>,
}

#[derive(Debug, Arbitrary)]
pub struct FStore {
    /// Days since 1970-01-01 of as_of.
    as_of: u16,
    opened_back: u16,
    store_type: u8,
    declared: Option<FAmount>,
    owner: Option<(Option<u8>, Option<u16>, Option<FAmount>, Option<bool>)>,
    orders: Vec<FOrder>,
    monthly: Vec<FMonth>,
    receivables: Vec<(u8, FAmount, i16, bool)>,
    liabilities: Vec<(FAmount, FAmount, Option<u16>)>,
    repayments: Vec<(u8, i16, FAmount, Option<i16>, Option<FAmount>)>,
}

fn ts_after(placed: Timestamp, secs: Option<u32>) -> Option<Timestamp> {
    secs.map(|s| Timestamp(placed.0 + i64::from(s % (90 * 86_400))))
}

impl FStore {
    /// The store; it may or may not validate.
    pub fn build(&self) -> StoreData {
        let as_of = Date(10_957 + i32::from(self.as_of % 20_000)); // 2000-01-01 .. ~2054
        let end = as_of.add_days(1).start().0;
        let orders = self
            .orders
            .iter()
            .take(20_000)
            .map(|o| {
                let placed = Timestamp(end - 1 - i64::from(o.back % (4 * 366 * DAY as u32)));
                let amount = o.amount.get();
                let status = OrderStatus::ALL[usize::from(o.status) % 6];
                Order {
                    id: format!("o{}", o.id),
                    placed_at: placed,
                    amount: Money(amount),
                    status,
                    refund_amount: o.refund.map(|p| Money(amount * f64::from(p.min(1000)) / 1000.0)),
                    buyer_id: o.buyer.map(|b| format!("b{}", b % 16)),
                    ship_by: ts_after(placed, o.ship_by),
                    promised_by: ts_after(placed, o.promised_by),
                    shipped_at: ts_after(placed, o.shipped),
                    delivered_at: ts_after(placed, o.delivered),
                    rating: o.rating.map(|r| r % 7),
                }
            })
            .collect();
        let monthly = self
            .monthly
            .iter()
            .take(700)
            .map(|m| {
                let gmv = m.gmv.get();
                MonthlySummary {
                    month: YearMonth(as_of.month().0 - i32::from(m.back % 80)),
                    gmv: Money(gmv),
                    orders: u32::from(m.orders),
                    refunds: m.refunds.map(|p| Money(gmv * f64::from(p % 1001) / 1000.0)),
                    cancellations: m.cancellations.map(|p| Money(gmv * f64::from(p % 1001) / 1000.0)),
                    buyers: m.buyers.map(u32::from),
                    disputes: m.disputes.map(u32::from),
                    rating: m.rating.map(|r| Finite(1.0 + f64::from(r % 41) / 10.0)),
                }
            })
            .collect();
        StoreData {
            schema: None,
            as_of,
            currency: "CNY".into(),
            merchant: Merchant {
                id: "m".into(),
                store_type: [StoreType::Reseller, StoreType::BrandManufacturer, StoreType::Exporter, StoreType::Manufacturer]
                    [usize::from(self.store_type) % 4],
                opened_on: as_of.add_days(-i32::from(self.opened_back % 8000)),
                platform: None,
                category: None,
                region: None,
                declared_monthly_revenue: self.declared.as_ref().map(|a| Money(a.get())),
            },
            owner: self.owner.as_ref().map(|(y, b, d, v)| Owner {
                years_in_business: y.map(|y| Finite(f64::from(y % 101))),
                bureau_score: b.map(|b| Finite(f64::from(b % 1001))),
                personal_debt: d.as_ref().map(|a| Money(a.get())),
                identity_verified: *v,
            }),
            orders,
            monthly,
            receivables: self
                .receivables
                .iter()
                .take(200)
                .map(|(id, a, due, platform)| Receivable {
                    id: format!("r{id}"),
                    amount: Money(a.get()),
                    due_on: as_of.add_days(i32::from(*due)),
                    counterparty: if *platform { "platform".into() } else { "buyer".into() },
                })
                .collect(),
            liabilities: self
                .liabilities
                .iter()
                .take(50)
                .map(|(o, p, dpd)| Liability {
                    lender: "bank".into(),
                    outstanding: Money(o.get()),
                    monthly_payment: Money(p.get()),
                    days_past_due: dpd.map(u32::from),
                })
                .collect(),
            repayments: self
                .repayments
                .iter()
                .take(200)
                .map(|(loan, due, amt, paid_on, paid)| Repayment {
                    loan_id: format!("l{}", loan % 4),
                    due_on: as_of.add_days(i32::from(*due)),
                    amount_due: Money(amt.get()),
                    paid_on: paid_on.map(|d| as_of.add_days(-i32::from(d.unsigned_abs() % 2000))),
                    amount_paid: paid.as_ref().map(|a| Money(a.get())),
                })
                .collect(),
        }
    }
}

/// Builds a structured store from raw fuzz bytes.
pub fn store_from(data: &[u8]) -> Option<StoreData> {
    FStore::arbitrary_take_rest(Unstructured::new(data)).ok().map(|s| s.build())
}
