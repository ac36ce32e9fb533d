#!/usr/bin/env python3
"""Summarises bench/hpo_lab8.sh's experiments from the hpo database: per experiment, the best validation accuracy
at the full budget, the epochs trained (one intermediate result per epoch), the number of jobs and the wall time;
then, per method, medians over seeds. Usage: hpo_lab8_summary.py DB FULL_BUDGET"""
import re
import sqlite3
import statistics
import sys

db, full = sys.argv[1], float(sys.argv[2])
con = sqlite3.connect(db)
rows = {}
for (name,) in con.execute("SELECT name FROM experiments ORDER BY created"):
    trials = con.execute("SELECT id, status, value, budget, attempts, started, ended FROM trials WHERE experiment = ?", (name,)).fetchall()
    epochs = con.execute("""SELECT COUNT(*) FROM intermediates i JOIN trials t ON t.experiment = i.experiment AND t.id = i.trial
                            AND t.attempts = i.attempt WHERE i.experiment = ?""", (name,)).fetchone()[0]
    full_values = [v for (_, s, v, b, _, _, _) in trials if s == "SUCCEEDED" and (b is None or b >= full)]
    best = max(full_values) if full_values else float("nan")
    wall = (max(t[6] for t in trials) - min(t[5] for t in trials)) / 1000
    failed = sum(1 for t in trials if t[1] != "SUCCEEDED")
    rows[name] = (best, epochs, len(trials), wall, failed)
    print(f"{name:18s} best@full {best:.4f}  epochs {epochs:4d}  jobs {len(trials):3d}  failed {failed}  wall {wall:7.1f} s")

print()
print("| method | median best validation accuracy (full budget) | median epochs trained | seeds |")
print("| --- | --- | --- | --- |")
methods = {}
for name, r in rows.items():
    methods.setdefault(re.sub(r"-s\d+$", "", name), []).append(r)
for m, rs in methods.items():
    print(f"| {m} | {statistics.median(r[0] for r in rs):.4f} | {statistics.median(r[1] for r in rs):g} | {len(rs)} |")
