#!/usr/bin/env python3
"""XLS read benchmark: `contacts cat FILE` against python-calamine and xlrd.

Builds (once, cached in --workdir) an XLS with xlwt from the first 65,535 rows of the
bench CSV (every field written as text, as a CSV converted to XLS would hold it), then
times each reader as a whole process, N runs each, interleaved, with
`/usr/bin/time -f '%e %M'`, and prints the median wall seconds, the peak RSS and the
ratios against contacts.

    python3 bench_xls.py --contacts .build/release/contacts --csv contacts-100000-seed42.csv \
        --workdir /tmp/xlsbench --runs 5

Until the `contacts cat` command exists, `--contacts` may point at the stand-in built
from xls_cat_harness.swift (it takes the same `cat FILE` arguments, and `count FILE` to
read without printing: add --also-count); the build commands are at its top.
Needs: pip install xlwt xlrd python-calamine.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time

CALAMINE = (
    "import sys\n"
    "from python_calamine import CalamineWorkbook\n"
    "rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()\n"
    "n = sum(len(r) for r in rows)\n"
)
XLRD = (
    "import sys, xlrd\n"
    "book = xlrd.open_workbook(sys.argv[1])\n"
    "sh = book.sheet_by_index(0)\n"
    "n = 0\n"
    "for r in range(sh.nrows):\n"
    "    for v in sh.row_values(r):\n"
    "        n += 1\n"
)


def build_xls(csv_path, workdir, rows):
    """Writes the XLS with xlwt unless a copy made from the same CSV is cached."""
    os.makedirs(workdir, exist_ok=True)
    out = os.path.join(workdir, "bench-%d.xls" % rows)
    stamp_path = out + ".json"
    st = os.stat(csv_path)
    stamp = {"csv": os.path.abspath(csv_path), "size": st.st_size, "mtime": st.st_mtime, "rows": rows}
    if os.path.exists(out) and os.path.exists(stamp_path):
        with open(stamp_path) as f:
            if json.load(f) == stamp:
                return out
    import xlwt
    t = time.time()
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("contacts")
    with open(csv_path, newline="", encoding="utf-8") as f:
        for r, record in enumerate(csv.reader(f)):
            if r >= rows:
                break
            for c, value in enumerate(record):
                sheet.write(r, c, value)
    book.save(out + ".tmp")
    os.replace(out + ".tmp", out)
    with open(stamp_path, "w") as f:
        json.dump(stamp, f)
    print("built %s (%.1f MB) with xlwt in %.1f s" % (out, os.path.getsize(out) / 1e6, time.time() - t), file=sys.stderr)
    return out


def timed(cmd):
    """Runs cmd with stdout to /dev/null; returns (wall seconds, peak RSS KiB)."""
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, stdout=devnull, stderr=subprocess.PIPE)
    lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    if proc.returncode != 0:
        raise SystemExit("failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), "\n".join(lines[-5:])))
    wall, rss = lines[-1].split()
    return float(wall), int(rss)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--contacts", required=True, help="the contacts binary (or the xls_cat stand-in)")
    ap.add_argument("--csv", required=True, help="the bench CSV")
    ap.add_argument("--workdir", required=True, help="where the XLS is built and cached")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=65535, help="rows of the CSV to write (header included)")
    ap.add_argument("--also-count", action="store_true",
                    help="also time `CONTACTS count FILE` (the xls_cat stand-in's reader-only mode)")
    args = ap.parse_args()

    xls = build_xls(args.csv, args.workdir, args.rows)
    tools = {
        "contacts": [args.contacts, "cat", xls],
        "python-calamine": [sys.executable, "-c", CALAMINE, xls],
        "xlrd": [sys.executable, "-c", XLRD, xls],
    }
    if args.also_count:
        tools["contacts count"] = [args.contacts, "count", xls]
    results = {name: [] for name in tools}
    for _ in range(args.runs):
        for name, cmd in tools.items():
            results[name].append(timed(cmd))

    base = statistics.median(w for w, _ in results["contacts"])
    print("file: %s (%.1f MB, %d rows x 12 columns)" % (xls, os.path.getsize(xls) / 1e6, args.rows))
    print("%-16s %10s %12s %10s" % ("reader", "median s", "peak RSS MB", "x contacts"))
    for name, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        rss = max(r for _, r in runs) / 1024
        print("%-16s %10.3f %12.1f %10.2f" % (name, wall, rss, wall / base if base > 0 else float("nan")))


if __name__ == "__main__":
    main()
