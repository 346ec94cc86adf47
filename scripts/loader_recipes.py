#!/usr/bin/env python3
"""The README's loader recipes, checked against a real data directory.

Loads one pair's order book and trades with pandas, polars and DuckDB, as the README shows: every file
(plain, gzip, late rows beside a gzip, the `orderbook/levels-N/` folder of a changed layout), prices and
quantities as exact decimals at the precisions in `data/PAIR/pair.csv`, timestamps as UTC. Checks that
each tool reads every row, that the decimals equal the text in the files, and that times are UTC.
Prints `TOOL STREAM rows=N ...` per tool and stream; exits 1 on any mismatch, 2 when a module is missing.

    python3 scripts/loader_recipes.py --data-dir data --pair BTC-USD
"""
import argparse
import csv
import glob
import gzip
import io
import os
import sys
from decimal import Decimal

try:
    import duckdb
    import pandas as pd
    import polars as pl
except ImportError as error:  # the CI installs them: a missing module is a failure, not a skip
    print(f"loader recipes need pandas, polars and duckdb: {error}", file=sys.stderr)
    sys.exit(2)


# --- the recipes (keep in step with the README's "Loading the files") -----------------------------

def pair_metadata(pair_dir):
    """The newest row of pair.csv: price/qty precision and levels."""
    meta = pd.read_csv(os.path.join(pair_dir, "pair.csv"), dtype=str)
    last = meta.iloc[-1]
    return int(last.price_precision), int(last.qty_precision)


def layout_globs(pair_dir, stream, stem):
    """One glob per schema: the stream's folder, then each layout folder (orderbook/levels-N/)."""
    folder = os.path.join(pair_dir, stream)
    globs = [os.path.join(folder, f"{stem}*.csv*")]
    globs += sorted(os.path.join(d, f"{stem}*.csv*") for d in glob.glob(os.path.join(folder, "levels-*")))
    return [g for g in globs if glob.glob(g)]


def value_columns(columns):
    """Price and quantity columns (mid_price has one more digit than prices: typed on its own)."""
    return [c for c in columns if c != "mid_price" and (c.endswith(("_price", "_qty")) or c in ("price", "qty"))]


def load_pandas(pair_dir, stream, stem):
    price_digits, qty_digits = pair_metadata(pair_dir)
    frames = []
    for pattern in layout_globs(pair_dir, stream, stem):
        for path in sorted(glob.glob(pattern)):
            # dtype=str keeps Kraken's text; Decimal makes it exact; pandas reads .gz by its name.
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)  # a changed layout adds columns (empty in older rows)
    for column in value_columns(frame.columns) + [c for c in frame.columns if c == "mid_price"]:
        frame[column] = frame[column].map(lambda text: Decimal(text) if isinstance(text, str) and text else None)
    for column in ("timestamp", "received_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame


def load_polars(pair_dir, stream, stem):
    price_digits, qty_digits = pair_metadata(pair_dir)
    # One glob per schema (plain and .gz alike); every column as text first (infer_schema=False), then
    # typed: exact decimals at the pair's precision and UTC times. "diagonal" joins the layouts.
    frames = [pl.scan_csv(pattern, infer_schema=False) for pattern in layout_globs(pair_dir, stream, stem)]
    frame = pl.concat(frames, how="diagonal").collect()
    casts = []
    for column in value_columns(frame.columns):
        digits = qty_digits if column.endswith("qty") else price_digits
        casts.append(pl.col(column).cast(pl.Decimal(precision=38, scale=digits)))
    if "mid_price" in frame.columns:
        casts.append(pl.col("mid_price").cast(pl.Decimal(precision=38, scale=price_digits + 1)))
    for column in ("timestamp", "received_at"):
        casts.append(pl.col(column).str.to_datetime(time_unit="us", time_zone="UTC"))
    return frame.with_columns(casts)


def load_duckdb(pair_dir, stream, stem):
    price_digits, qty_digits = pair_metadata(pair_dir)
    patterns = layout_globs(pair_dir, stream, stem)
    # union_by_name joins the layouts; all_varchar keeps the text until the casts below.
    source = f"read_csv({patterns!r}, union_by_name = true, all_varchar = true, header = true)"
    columns = [row[0] for row in duckdb.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    selects = []
    for column in columns:
        name = f'"{column}"'  # 10th_bid_qty starts with a digit: quote every name
        if column in ("timestamp", "received_at"):
            selects.append(f"CAST({name} AS TIMESTAMPTZ) AS {name}")
        elif column == "mid_price":
            selects.append(f"CAST(NULLIF(mid_price, '') AS DECIMAL(38, {price_digits + 1})) AS mid_price")
        elif column in value_columns([column]):
            digits = qty_digits if column.endswith("qty") else price_digits
            selects.append(f"CAST(NULLIF({name}, '') AS DECIMAL(38, {digits})) AS {name}")
        else:
            selects.append(name)
    duckdb.sql("SET TimeZone = 'UTC'")
    return duckdb.sql(f"SELECT {', '.join(selects)} FROM {source}").df()


# --- the checks -----------------------------------------------------------------------------------

def raw_rows(pair_dir, stream, stem):
    """The rows as text, read with the csv module: what every loader must reproduce."""
    rows = []
    for path in sorted(glob.glob(os.path.join(pair_dir, stream, "**", f"{stem}*.csv*"), recursive=True)):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", newline="") as handle:
            header = None
            for cells in csv.reader(handle):
                if cells and cells[0] == "timestamp":
                    header = cells  # a file's header (gzip members after the first have none)
                    continue
                rows.append(dict(zip(header, cells)))
    return rows


def check(tool, stream, frame_rows, raw):
    problems = []
    count = len(frame_rows["timestamp"])
    if count != len(raw):
        problems.append(f"{count} rows, the files hold {len(raw)}")
    column = "price" if stream == "trades" else "best_bid_price"
    # Exact: every value prints as the file's text (same digits, same scale), and sums agree.
    expected_text = sorted(r[column] for r in raw if r.get(column))
    got_text = sorted(str(Decimal(str(v))) for v in frame_rows[column] if v is not None and str(v) not in ("", "nan", "None", "NaN"))
    if got_text != expected_text:
        problems.append(f"{column} values differ from the files' text, e.g. {got_text[:2]} vs {expected_text[:2]}")
    expected_sum = sum((Decimal(t) for t in expected_text), Decimal(0))
    got_sum = sum((Decimal(t) for t in got_text), Decimal(0))
    if expected_sum != got_sum:
        problems.append(f"{column} sum {got_sum} != {expected_sum}")
    first = frame_rows["timestamp"][0]
    zone = str(getattr(first, "tzinfo", None) or getattr(first, "tz", None))
    if "UTC" not in zone.upper():
        problems.append(f"timestamp is not UTC ({zone})")
    expected_first = min(r["timestamp"] for r in raw)
    got_first = min(frame_rows["timestamp"]).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if got_first != expected_first:
        problems.append(f"first timestamp {got_first} != {expected_first}")
    status = "ok" if not problems else "FAILED: " + "; ".join(problems)
    print(f"{tool} {stream} rows={count} sum({column})={got_sum} {status}")
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--pair", required=True)
    arguments = parser.parse_args()
    pair_dir = os.path.join(arguments.data_dir, arguments.pair)
    ok = True
    for stream, stem in (("orderbook", "orderbook_data_"), ("trades", "trade_data_")):
        raw = raw_rows(pair_dir, stream, stem)
        pandas_frame = load_pandas(pair_dir, stream, stem)
        ok &= check("pandas", stream, {c: list(pandas_frame[c]) for c in pandas_frame.columns}, raw)
        polars_frame = load_polars(pair_dir, stream, stem)
        ok &= check("polars", stream, {c: polars_frame[c].to_list() for c in polars_frame.columns}, raw)
        duck_frame = load_duckdb(pair_dir, stream, stem)
        ok &= check("duckdb", stream, {c: list(duck_frame[c]) for c in duck_frame.columns}, raw)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
