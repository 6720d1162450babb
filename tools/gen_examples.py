#!/usr/bin/env python3
"""Writes the example stores in examples/ (deterministic; seed fixed per store).

Each example is a small, readable story a credit officer would recognise; the snapshot tests in
tests/snapshots.rs pin their whole decisions. Run: python3 tools/gen_examples.py
"""
import json, random, datetime as dt, os

OUT = os.path.join(os.path.dirname(__file__), "..", "examples")
AS_OF = dt.date(2025, 6, 30)

def ts(d, h):
    return f"{d.isoformat()}T{h:02d}:{(h*7)%60:02d}:00Z"

def orders_for(rng, days, per_day, aov, refund=0.02, cancel=0.02, dispute=0.002, late=0.03,
               rating=4.6, buyers=400, repeat=0.3, trend=0.0, start_offset=0):
    out = []
    n = 0
    for back in range(days - 1, -1, -1):
        d = AS_OF - dt.timedelta(days=back + start_offset)
        # trend: multiplier from (1 - trend) at the start to 1 at the end
        mult = 1.0 + trend * (back / max(days, 1))
        weekly = 1.15 if d.weekday() >= 5 else 0.94
        k = max(0, int(rng.gauss(per_day * mult * weekly, (per_day * mult) ** 0.5)))
        for _ in range(k):
            n += 1
            amount = round(max(5.0, rng.lognormvariate(0, 0.5) * aov), 2)
            r = rng.random()
            status = "delivered"
            refund_amount = 0
            if r < cancel:
                status = "cancelled"
            elif r < cancel + refund:
                status = "refunded"; refund_amount = amount
            elif r < cancel + refund + dispute:
                status = "disputed"
            if back < 3 and status == "delivered":
                status = "shipped"
            b = rng.randrange(int(buyers * repeat)) if rng.random() < repeat else rng.randrange(10**6)
            o = {"id": f"o{n}", "placed_at": ts(d, 8 + n % 12), "amount": amount, "status": status,
                 "buyer_id": f"b{b}"}
            if refund_amount:
                o["refund_amount"] = refund_amount
            if status != "cancelled":
                ship_days = 1 if rng.random() > late else 4
                shipped = d + dt.timedelta(days=ship_days)
                if shipped <= AS_OF:
                    o["shipped_at"] = ts(shipped, 15)
                promised = d + dt.timedelta(days=7)
                o["promised_by"] = promised.isoformat()
                delivered = shipped + dt.timedelta(days=3 if rng.random() > late else 6)
                if status in ("delivered", "refunded", "disputed") and delivered <= AS_OF:
                    o["delivered_at"] = ts(delivered, 11)
                if status == "delivered" and rng.random() < 0.5:
                    o["rating"] = max(1, min(5, int(round(rng.gauss(rating, 0.7)))))
            out.append(o)
    return out

def store(mid, opened, orders=None, monthly=None, **extra):
    s = {"as_of": AS_OF.isoformat(), "currency": "CNY",
         "merchant": {"id": mid, "store_type": extra.pop("store_type", "reseller"), "opened_on": opened,
                      "platform": "demo-mall", "category": extra.pop("category", "housewares")}}
    if "declared" in extra:
        s["merchant"]["declared_monthly_revenue"] = extra.pop("declared")
    if "owner" in extra:
        s["owner"] = extra.pop("owner")
    if orders is not None:
        s["orders"] = orders
    if monthly is not None:
        s["monthly"] = monthly
    s.update(extra)
    return s

def write(name, s):
    with open(os.path.join(OUT, name), "w") as f:
        # one record per line: readable in a diff, a fraction of the size of full indentation
        f.write("{\n")
        keys = list(s)
        for i, k in enumerate(keys):
            v = s[k]
            sep = "," if i < len(keys) - 1 else ""
            if isinstance(v, list):
                f.write(f'  "{k}": [\n')
                for j, x in enumerate(v):
                    f.write("    " + json.dumps(x, ensure_ascii=False) + ("," if j < len(v) - 1 else "") + "\n")
                f.write(f"  ]{sep}\n")
            else:
                f.write(f'  "{k}": {json.dumps(v, ensure_ascii=False)}{sep}\n')
        f.write("}\n")

rng = random.Random(1)
strong = store("m-strong-01", "2020-03-01", orders_for(rng, 400, 9, 95, trend=-0.15),
               owner={"years_in_business": 9, "bureau_score": 720, "personal_debt": 15000, "identity_verified": True},
               receivables=[{"id": "s1", "amount": 18000, "due_on": "2025-07-10", "counterparty": "platform"},
                            {"id": "s2", "amount": 9500, "due_on": "2025-07-20", "counterparty": "platform"}],
               liabilities=[{"lender": "bank", "outstanding": 20000, "monthly_payment": 1800}],
               repayments=[{"loan_id": "l1", "due_on": f"2025-0{m}-05", "amount_due": 4200,
                            "paid_on": f"2025-0{m}-04", "amount_paid": 4200} for m in range(1, 6)],
               declared=26000)
write("store.json", strong)

rng = random.Random(2)
write("new-seller.json", store("m-new-02", "2025-04-20", orders_for(rng, 70, 3, 60, buyers=150, repeat=0.1),
                                owner={"identity_verified": True}))

rng = random.Random(3)
declining = orders_for(rng, 400, 5, 80, trend=1.6, refund=0.06, cancel=0.05, rating=3.9, late=0.12)
write("declining-seller.json", store("m-declining-03", "2021-08-15", declining, declared=30000))

rng = random.Random(4)
wash = orders_for(rng, 300, 4, 70, buyers=200)
n = len(wash)
for k in range(60):  # bursts of identical amounts from a handful of buyers
    d = AS_OF - dt.timedelta(days=2 + (k // 6) * 4)
    n += 1
    wash.append({"id": f"w{n}", "placed_at": ts(d, 10 + k % 6), "amount": 499.0, "status": "delivered",
                 "buyer_id": f"shill{k % 3}", "shipped_at": ts(d, 18), "delivered_at": ts(d + dt.timedelta(days=1), 9),
                 "rating": 5})
write("wash-trader.json", store("m-wash-04", "2023-02-01", wash, declared=90000))

rng = random.Random(5)
write("overdue-seller.json", store("m-overdue-05", "2022-05-10", orders_for(rng, 380, 4, 85, refund=0.03),
      repayments=[{"loan_id": "l7", "due_on": "2025-03-15", "amount_due": 6000, "paid_on": "2025-03-20", "amount_paid": 6000},
                  {"loan_id": "l7", "due_on": "2025-04-15", "amount_due": 6000, "paid_on": "2025-05-30", "amount_paid": 6000},
                  {"loan_id": "l7", "due_on": "2025-05-15", "amount_due": 6000, "amount_paid": 0}],
      liabilities=[{"lender": "fintech-x", "outstanding": 30000, "monthly_payment": 5200, "days_past_due": 35}]))

monthly = []
gmv = 82000.0
rng = random.Random(6)
for i in range(24):
    y, m = divmod(2023 * 12 + 6 + i, 12)  # 2023-07 .. 2025-06
    season = 1.25 if m + 1 in (11, 12) else (0.9 if m + 1 in (2,) else 1.0)
    g = round(gmv * season * rng.uniform(0.93, 1.07), 2)
    monthly.append({"month": f"{y}-{m+1:02d}", "gmv": g, "orders": int(g / 118), "refunds": round(g * 0.025, 2),
                    "cancellations": round(g * 0.015, 2), "buyers": int(g / 118 * 0.8), "disputes": 1, "rating": 4.6})
    gmv *= 1.012
write("monthly-only.json", store("m-monthly-06", "2019-11-01", None, monthly, store_type="brand_manufacturer",
                                 category="apparel", owner={"years_in_business": 12, "bureau_score": 690, "identity_verified": True},
                                 receivables=[{"id": "s9", "amount": 40000, "due_on": "2025-07-15"}]))
print("ok")
