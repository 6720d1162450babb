#!/usr/bin/env python3
"""Writes models/default.json from the tables below (the reasoning is in docs/default-model.md).

Kept as a script so that bins stay contiguous and the file is reviewed as a table, not as 900
lines of JSON. Run: python3 tools/gen_default_model.py > models/default.json
"""
import json

INF = None

MISSING_REASONS = {
    "R04": "Not enough history to see the sales trend yet.",
    "R05": "Not enough months of sales to judge their stability yet.",
    "R06": "Refunds are not in the data: sharing them can raise the score.",
    "R07": "Cancellations are not in the data: sharing them can raise the score.",
    "R08": "Disputes are not in the data: sharing them can raise the score.",
    "R09": "No recent buyer ratings in the data.",
    "R10": "Shipping dates are not in the data: sharing them can raise the score.",
    "R11": "Buyer ids are not in the data, so repeat buyers cannot be counted.",
    "R12": "Buyer ids are not in the data, so buyer concentration cannot be checked.",
    "R13": "Debt payments cannot be set against sales without recent sales.",
    "R14": "No repayment history with us yet: a first loan starts from the middle.",
    "R15": "The owner's personal credit record was not provided.",
}

def ch(name, feature, code, reason, cuts, points, missing=None):
    """cuts: ascending inner cut points; points: one per bin (len(cuts)+1)."""
    assert len(points) == len(cuts) + 1
    bounds = [None] + cuts + [None]
    bins = []
    for i, p in enumerate(points):
        b = {}
        if bounds[i] is not None:
            b["lower"] = bounds[i]
        if bounds[i + 1] is not None:
            b["upper"] = bounds[i + 1]
        b["points"] = p
        bins.append(b)
    c = {"name": name, "feature": feature, "reason_code": code, "reason": reason}
    if code in MISSING_REASONS:
        c["missing_reason"] = MISSING_REASONS[code]
    if missing is not None:
        c["missing_points"] = missing
    c["bins"] = bins
    return c

def levels(review=None, reduce=None, freeze=None):
    """Thresholds of a monitoring signal; None = that action is never taken on this measure."""
    return {k: v for k, v in (("review", review), ("reduce", reduce), ("freeze", freeze)) if v is not None}

def cmp(f, op, v=None):
    c = {"feature": f, "op": op}
    if v is not None:
        c["value"] = v
    return c

characteristics = [
    ch("store_age", "store_age_months", "R01", "The store is young: lenders see less of its track record.",
       [3, 6, 12, 24, 48], [0, 10, 20, 30, 38, 45]),
    ch("active_months", "months_with_sales_12m", "R02", "Few of the last 12 months had sales.",
       [3, 6, 9, 12], [0, 8, 16, 22, 28]),
    ch("order_volume", "orders_90d", "R03", "Few orders in the last 90 days.",
       [30, 90, 300, 1000], [0, 8, 16, 24, 30]),
    ch("sales_trend", "growth_qoq", "R04", "Net sales fell against the previous quarter.",
       [-0.4, -0.2, 0, 0.5, 2], [0, 10, 22, 28, 24, 12], missing=14),
    ch("sales_stability", "sales_volatility_cv", "R05", "Monthly sales swing widely.",
       [0.25, 0.5, 0.8, 1.2], [25, 18, 10, 4, 0], missing=8),
    ch("refunds", "refund_rate_90d", "R06", "A high share of sales is refunded.",
       [0.02, 0.05, 0.1, 0.2], [30, 22, 12, 4, 0], missing=12),
    ch("cancellations", "cancel_rate_90d", "R07", "Many orders are cancelled.",
       [0.02, 0.05, 0.1], [20, 14, 6, 0], missing=10),
    ch("disputes", "dispute_rate_90d", "R08", "Buyers open disputes on too many orders.",
       [0.002, 0.01, 0.03], [20, 12, 4, 0], missing=10),
    ch("ratings", "avg_rating_180d", "R09", "Buyer ratings are below what good stores get.",
       [3.5, 4.0, 4.5], [0, 8, 16, 22], missing=10),
    ch("shipping", "on_time_ship_rate_90d", "R10", "Orders often ship late.",
       [0.8, 0.9, 0.97], [0, 8, 15, 20], missing=9),
    ch("loyalty", "repeat_buyer_share", "R11", "Few buyers come back to buy again.",
       [0.05, 0.15, 0.3], [4, 10, 16, 20], missing=8),
    ch("buyer_concentration", "top_buyer_share", "R12", "Sales depend heavily on a few buyers.",
       [0.1, 0.2, 0.4], [20, 12, 4, 0], missing=10),
    ch("debt_burden", "debt_service_ratio", "R13", "Payments on existing debt take a large share of sales.",
       [0.05, 0.15, 0.3], [20, 14, 6, 0], missing=10),
    ch("repayment_history", "repay_max_dpd", "R14", "Earlier installments were paid late.",
       [1, 8, 31], [30, 20, 6, 0], missing=12),
    ch("owner_credit", "owner_bureau_score", "R15", "The owner's personal credit record is weak.",
       [550, 620, 680, 740], [0, 6, 12, 18, 22], missing=10),
]

policy = [
    {"id": "K01", "outcome": "decline", "when": cmp("store_age_months", "lt", 3),
     "message": "The store opened less than 3 months ago; we need at least 3 months of trading."},
    {"id": "K02", "outcome": "decline", "when": cmp("months_with_sales_12m", "lt", 2),
     "message": "Fewer than 2 of the last 12 months had sales."},
    {"id": "K03", "outcome": "decline", "when": cmp("net_sales_90d", "le", 0),
     "message": "No net sales in the last 90 days."},
    {"id": "K04", "outcome": "decline", "when": cmp("identity_verified", "eq", 0),
     "message": "The owner's identity could not be verified."},
    {"id": "F01", "outcome": "decline", "fraud": True,
     "when": {"all": [cmp("identical_amount_share_90d", "ge", 0.15), cmp("orders_90d", "ge", 20)]},
     "message": "Many orders repeat an identical amount from the same buyer on the same day (a wash-trading pattern)."},
    {"id": "F02", "outcome": "refer", "fraud": True,
     "when": {"all": [cmp("identical_amount_share_90d", "ge", 0.05), cmp("identical_amount_share_90d", "lt", 0.15), cmp("orders_90d", "ge", 20)]},
     "message": "Some orders repeat an identical amount from the same buyer on the same day."},
    {"id": "F03", "outcome": "refer", "fraud": True,
     "when": {"all": [cmp("top_buyer_share_90d", "ge", 0.5), cmp("orders_90d", "ge", 10)]},
     "message": "One buyer accounts for half or more of recent sales (possible self-dealing)."},
    {"id": "F04", "outcome": "refer", "fraud": True,
     "when": {"all": [cmp("sales_spike_ratio", "ge", 4), cmp("orders_90d", "ge", 30)]},
     "message": "A sudden spike in sales against the store's usual weeks."},
    {"id": "F05", "outcome": "refer", "fraud": True, "when": cmp("large_order_share_90d", "ge", 0.5),
     "message": "Orders far above the store's usual value make up most of recent sales."},
    {"id": "F06", "outcome": "refer", "fraud": True, "when": cmp("period_end_reversal_ratio", "ge", 3),
     "message": "Orders placed at month end are cancelled or refunded far more often than others."},
    {"id": "F07", "outcome": "decline", "fraud": True, "when": cmp("declared_to_observed_ratio", "ge", 3),
     "message": "Declared revenue is more than three times what the store's orders show."},
    {"id": "F08", "outcome": "refer", "fraud": True,
     "when": {"all": [cmp("declared_to_observed_ratio", "ge", 1.5), cmp("declared_to_observed_ratio", "lt", 3)]},
     "message": "Declared revenue is well above what the store's orders show."},
    {"id": "D01", "outcome": "decline", "when": cmp("repay_max_dpd", "ge", 60),
     "message": "An earlier installment was 60 or more days past due."},
    {"id": "D02", "outcome": "refer", "when": cmp("repay_overdue_amount", "gt", 0),
     "message": "An installment of an earlier loan is overdue now."},
    {"id": "D03", "outcome": "decline", "when": cmp("max_dpd_elsewhere", "ge", 90),
     "message": "Debt owed elsewhere is 90 or more days past due."},
    {"id": "D04", "outcome": "refer", "when": {"all": [cmp("max_dpd_elsewhere", "ge", 30), cmp("max_dpd_elsewhere", "lt", 90)]},
     "message": "Debt owed elsewhere is past due."},
    {"id": "D05", "outcome": "refer", "when": cmp("debt_service_ratio", "ge", 0.5),
     "message": "Payments on existing debt take half or more of monthly sales."},
    {"id": "Q01", "outcome": "decline", "when": {"any": [cmp("refund_rate_90d", "ge", 0.35), cmp("dispute_rate_90d", "ge", 0.05)]},
     "message": "Refunds or disputes are at a level that signals serious trouble with buyers."},
    {"id": "Q02", "outcome": "refer", "when": cmp("owner_bureau_score", "lt", 500),
     "message": "The owner's personal credit score is very low."},
]

grades = [
    {"grade": "A", "min_score": 640},
    {"grade": "B", "min_score": 610},
    {"grade": "C", "min_score": 585},
    {"grade": "D", "min_score": 560},
    {"grade": "E", "min_score": 540},
    {"grade": "F"},
]

model = {
    "$schema": "merchant-credit/model@1",
    "id": "default",
    "version": "1.0.0",
    "description": "Expert scorecard for small e-commerce sellers (no public labelled merchant data exists); see docs/default-model.md.",
    "features": {"ship_sla_days": 2, "receivables_horizon_days": 90, "receivables_counterparties": ["platform"],
                 "burst_min_orders": 3, "large_order_multiple": 10},
    "policy": policy,
    "scorecard": {"scaling": {"base_score": 600, "base_odds": 50, "pdo": 20}, "base_points": 330,
                  "reason_algorithm": "points_below", "characteristics": characteristics},
    "calibration": {"method": "scaling"},
    "grades": grades,
    "decision": {"approve_max_pd": 0.075, "refer_max_pd": 0.14},
    "limit": {
        "sales_multiple": {"A": 1.5, "B": 1.2, "C": 1.0, "D": 0.7, "E": 0.5, "F": 0},
        "annual_sales_cap": 0.25,
        "receivables_advance_rate": 0.8,
        "debt_deduction": 0.5,
        "refer_factor": 0.5,
        "bounds": {
            "CNY": {"min": 1000, "max": 1000000, "rounding": 100},
            "USD": {"min": 200, "max": 150000, "rounding": 50},
            "EUR": {"min": 200, "max": 150000, "rounding": 50},
            "GBP": {"min": 200, "max": 120000, "rounding": 50},
            "BRL": {"min": 500, "max": 750000, "rounding": 50},
            "HKD": {"min": 1000, "max": 1000000, "rounding": 100},
        },
    },
    "products": [
        {"product": "purchase_financing",
         "eligible": {"all": [cmp("months_with_sales_12m", "ge", 2), cmp("orders_90d", "ge", 10)]},
         "grades": ["A", "B", "C", "D", "E"],
         "basis": "line", "share": 0.5, "term_days": 60, "repayment": "bullet", "max_payment_to_sales": 0.5},
        {"product": "receivables_advance",
         "eligible": cmp("receivables_pending", "gt", 0),
         "basis": "receivables", "share": 1.0, "term_days": 30, "repayment": "bullet", "max_payment_to_sales": 1.0},
        {"product": "working_capital",
         "eligible": {"all": [cmp("history_months", "ge", 6), cmp("months_with_sales_12m", "ge", 6)]},
         "grades": ["A", "B", "C", "D"],
         "basis": "line", "share": 1.0, "term_days": 270, "repayment": "holdback",
         "holdback_rate": {"A": 0.12, "B": 0.14, "C": 0.16, "D": 0.18, "E": 0.20, "F": 0.20},
         "max_payment_to_sales": 0.2},
    ],
    "pricing": {"cost_of_funds": 0.05, "lgd": 0.7, "margin": 0.06, "origination": 0.005, "max_apr": 0.36},
    # In-loan monitoring, reassessment, schedules and servicing (docs/lifecycle.md). Each
    # monitoring entry gives the measure at which a signal recommends review / reduce / freeze.
    "lifecycle": {
        "monitoring": {
            "sales_drop": levels(0.2, 0.35, 0.6),          # last 3 months vs same 3 months last year
            "sales_drop_month": levels(0.3, 0.5, 0.8),     # last month vs seasonal baseline
            "min_baseline_sales": 0,
            "refund_spike": levels(2.0, 3.0),              # last month's refund rate / trailing 6 months'
            "refund_rate_floor": 0.05,
            "dispute_spike": levels(2.0, 4.0),
            "dispute_rate_floor": 0.005,
            "rating_drop": levels(0.3, 0.6),               # stars lost, last 2 months vs 6 before
            "min_ratings": 10,
            "min_orders_90d": 30,                          # order anomalies need a busy enough store
            "sales_spike": levels(3.0, 4.0),               # sales_spike_ratio (F04 refers at 4)
            "identical_amount_share": levels(0.1, None, 0.3),  # same cut-offs as F02 / F01
            "large_order_share": levels(0.5),
            "buyer_concentration_rise": levels(0.15, 0.3),
            "receivables_drop": levels(0.3, 0.6),
            "overdue_dpd": levels(1, 8, 31),
            "dpd_elsewhere": levels(1, 30, 90),
            "new_debt": levels(0.5, 1.5),                  # months of net sales borrowed elsewhere
            "utilization": levels(0.9),
            "grade_drop": levels(1, 2),
        },
        "reassessment": {"period_days": 30, "max_increase": 0.2, "clean_periods": 3,
                         "reduce_cut": 0.3, "reopen_share": 0.5},
        "schedule": {"holdback_period_days": 60, "holdback_min_share": 0.5},
        "servicing": {
            "reminder_days": 5, "tolerance": 1.0,
            "stages": [{"from_dpd": 1, "stage": "reminder"}, {"from_dpd": 8, "stage": "soft_collection"},
                       {"from_dpd": 31, "stage": "hard_collection"}, {"from_dpd": 91, "stage": "recovery"}],
            "suspend_line_dpd": 8, "write_off_dpd": 180,
        },
    },
}

print(json.dumps(model, indent=2, ensure_ascii=False))
