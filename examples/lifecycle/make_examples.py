#!/usr/bin/env python3
"""Writes the sample inputs of `merchant-credit monitor | schedule | servicing` in this folder.

The monitoring samples start from examples/monthly-only.json (a seller given as monthly
summaries) whose last months are made worse: net sales fall and refunds jump. The previous
decision is the engine's own, computed by the CLI at the earlier date.
Run from the crate root: python3 examples/lifecycle/make_examples.py [path/to/merchant-credit]
"""
import copy, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/merchant-credit"
base = json.load(open(os.path.join(HERE, "..", "monthly-only.json")))

def at(store, as_of, worse_from=None):
    s = copy.deepcopy(store)
    s["as_of"] = as_of
    s["monthly"] = [m for m in s["monthly"] if m["month"] <= as_of[:7]]
    for m in s["monthly"]:
        if worse_from and m["month"] >= worse_from:
            k = 0.55 if m["month"] > worse_from else 0.8
            m["gmv"] = round(m["gmv"] * k, 2); m["orders"] = max(1, int(m["orders"] * k))
            m["cancellations"] = round(m["cancellations"] * k, 2); m["buyers"] = int(m["buyers"] * k)
            m["refunds"] = round(m["gmv"] * 0.09, 2); m["rating"] = 4.1
    return s

def write(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=1); f.write("\n")

prev_store = at(base, "2025-04-30")
prev = json.loads(subprocess.run([BIN, "evaluate", "-"], input=json.dumps(prev_store), capture_output=True, text=True, check=True).stdout)
write("monitor.json", {"store": at(base, "2025-06-30", worse_from="2025-05"), "previous": prev,
                       "line": {"amount": prev["credit_line"]["amount"], "clean_periods": 4, "as_of": "2025-04-30"},
                       "outstanding": 30000})
ends = ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30"]
write("series.json", {"snapshots": [{"store": at(base, e, worse_from="2025-05"), "outstanding": 20000} for e in ends]})
write("schedule-installments.json", {"loan_id": "wc-001", "currency": "CNY", "product": "working_capital",
      "method": "installments", "principal": 60000, "annual_rate": 0.18, "installments": 6, "start": "2025-07-01"})
write("schedule-bullet.json", {"loan_id": "pf-001", "currency": "CNY", "product": "purchase_financing",
      "method": "bullet", "principal": 20000, "fee": 480, "term_days": 60, "start": "2025-07-01"})
write("schedule-holdback.json", {"loan_id": "wc-002", "currency": "CNY", "product": "working_capital",
      "method": "holdback", "principal": 50000, "fee": 4350, "term_days": 270, "holdback_rate": 0.12,
      "expected_daily_sales": 2800, "start": "2025-07-01"})
sched = json.loads(subprocess.run([BIN, "schedule", os.path.join(HERE, "schedule-installments.json")],
                                  capture_output=True, text=True, check=True).stdout)
rows = sched["installments"]
write("servicing.json", {"as_of": "2025-10-20", "schedule": sched, "payments": [
    {"id": "p1", "paid_on": rows[0]["due_on"], "amount": rows[0]["amount"]},
    {"id": "p2", "paid_on": "2025-09-05", "amount": rows[1]["amount"]},
    {"id": "p3", "paid_on": "2025-10-02", "amount": 4000}]})
