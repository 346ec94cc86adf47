#!/usr/bin/env python3
"""Checks bytebit's candles against the trades they were built from, with an implementation of its
own (Python's exact Fraction and Decimal; no code shared with bytebit).

    scripts/klines_check.py DATA_DIR PAIR 1m [5m ...]

For every klines file of each interval, every row must equal the candle computed here from the
trades files (open = first trade of the interval by trade id, close = last, high, low,
volume = sum of qty, vwap = sum(price*qty)/sum(qty) rounded half to even at the pair's price
precision (pair.csv) + 4, trades = count), and every interval with trades before the last row must
have a row. Prints one JSON object: rows checked, mismatches, missing candles, complete flags.
Exit status 0 when everything matched, 1 otherwise.
"""
import csv, glob, gzip, json, os, sys
from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction

LENGTHS = {"1m": 60, "5m": 300, "15m": 900, "30m": 1800, "1h": 3600, "4h": 14400, "1d": 86400}


def micros(text):
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


def stamp(us):
    return datetime.fromtimestamp(us // 1_000_000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (us % 1_000_000)


def rows(paths):
    for path in sorted(paths):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            yield from reader


def plain(value):
    return format(value, "f")


def main():
    data, pair, intervals = sys.argv[1], sys.argv[2], sys.argv[3:]
    folder = os.path.join(data, pair)
    precision_rows = list(rows([os.path.join(folder, "pair.csv")]))
    price_precision = int(precision_rows[-1][1]) if precision_rows else None
    trades = [(micros(r[0]), int(r[2]), Decimal(r[4]), Decimal(r[5]))
              for r in rows(glob.glob(os.path.join(folder, "trades", "trade_data_*.csv*")))]
    trades.sort(key=lambda t: t[1])
    report = {"price_precision": price_precision, "trades": len(trades), "intervals": {}}
    ok = True
    for interval in intervals:
        length = LENGTHS[interval] * 1_000_000
        candles = {}
        for time, _, price, qty in trades:
            begin = time - time % length
            c = candles.setdefault(begin, {"open": price, "high": price, "low": price, "close": price,
                                           "volume": Decimal(0), "notional": Fraction(0), "qty": Fraction(0), "trades": 0})
            c["close"] = price
            c["high"] = max(c["high"], price)
            c["low"] = min(c["low"], price)
            c["volume"] += qty
            c["notional"] += Fraction(price) * Fraction(qty)
            c["qty"] += Fraction(qty)
            c["trades"] += 1
        written = list(rows(glob.glob(os.path.join(folder, "klines", "klines_%s_*.csv*" % interval))))
        mismatches, flags = [], []
        for row in written:
            begin = micros(row[0])
            c = candles.get(begin)
            if c is None:
                mismatches.append({"row": row, "expected": None})
                continue
            scale = (price_precision if price_precision is not None else -c["open"].as_tuple().exponent) + 4
            vwap = round(c["notional"] / c["qty"] * 10 ** scale)  # round() of a Fraction: half to even, exact
            vwap_text = plain(Decimal(vwap).scaleb(-scale))
            expected = [stamp(begin), plain(c["open"]), plain(c["high"]), plain(c["low"]), plain(c["close"]),
                        plain(c["volume"]), vwap_text, str(c["trades"])]
            if row[:8] != expected:
                mismatches.append({"row": row, "expected": expected})
            flags.append(row[8])
        last = micros(written[-1][0]) if written else None
        done = {micros(r[0]) for r in written}
        missing = [stamp(b) for b in sorted(candles) if last is not None and b < last and b not in done]
        ok = ok and not mismatches and not missing and len(written) > 0
        report["intervals"][interval] = {"rows": len(written), "mismatches": mismatches[:5],
                                         "mismatch_count": len(mismatches), "missing": missing, "complete": flags}
    print(json.dumps(report))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
