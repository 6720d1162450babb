#!/usr/bin/env python3
"""Writes a StoreData JSON's orders as a generic-layout CSV export (docs/import.md).
Usage: store_to_csv.py STORE.json OUT.csv"""
import json, sys
store = json.load(open(sys.argv[1]))
cols = ["id", "placed_at", "amount", "status", "refund_amount", "buyer_id", "ship_by", "promised_by", "shipped_at", "delivered_at", "rating", "currency"]
with open(sys.argv[2], "w", newline="") as out:
    out.write(",".join(cols) + "\n")
    cur = store["currency"]
    for o in store.get("orders", []):
        row = []
        for c in cols:
            v = cur if c == "currency" else o.get(c)
            row.append("" if v is None else str(v))
        out.write(",".join(row) + "\n")
