#!/usr/bin/env python3
"""XLS read benchmark: `contacts cat FILE` against python-calamine and xlrd.

Builds (once, cached in --workdir) an XLS with xlwt from the first 65,535 rows of the
bench CSV (every field written as text, as a CSV converted to XLS would hold it), then
times each reader as a whole process, N runs each, interleaved, with
`/usr/bin/time -f '%e %U %S %M'`, and prints the median wall seconds, the median CPU
seconds (user + system: steadier than wall on a shared machine), the peak RSS and the
wall ratios against `contacts cat`. `contacts import FILE --store <fresh dir>` is timed
too (no peer: for reference), unless --skip-import.

    python3 bench_xls.py --contacts .build/release/contacts --csv contacts-100000-seed42.csv \
        --workdir /tmp/xlsbench --runs 5

Needs xlwt, xlrd and python-calamine: when this Python lacks them, the script makes a venv
with them once under --workdir (peer-venv/) and runs itself again with its Python.
"""
import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from peer_venv import imports, peer_venv

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


PEER_PACKAGES = ["xlwt", "xlrd", "python-calamine"]


PROBE = "import xlwt, xlrd, python_calamine"


def peer_python(workdir):
    """A Python with the peer packages: this one, or that of a venv made once under workdir;
    None (with the reason printed) if neither can be had."""
    if imports(sys.executable, PROBE):
        return sys.executable
    python = peer_venv(workdir, PEER_PACKAGES, "bench_xls")
    if python is None or not imports(python, PROBE):
        print("bench_xls: pip install %s, then run make bench again" % " ".join(PEER_PACKAGES), file=sys.stderr)
        return None
    return python


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
    try:
        import xlwt
    except ImportError:
        print("bench_xls: xlwt is not installed, so the XLS cannot be written: "
              "pip install xlwt xlrd python-calamine, then run make bench again", file=sys.stderr)
        sys.exit(0)
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


def timed(cmd, ok=(0,)):
    """Runs cmd with stdout to /dev/null; returns (wall s, CPU s, peak RSS KiB)."""
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M"] + cmd, stdout=devnull, stderr=subprocess.PIPE)
    lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    if proc.returncode not in ok:
        raise SystemExit("failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), "\n".join(lines[-5:])))
    wall, user, system, rss = lines[-1].split()
    return float(wall), float(user) + float(system), int(rss)


def timed_import(contacts, xls):
    """`contacts import` into a fresh, empty store (errors file beside it), removed afterwards.
    Exit status 1 (some rows rejected, as the bench data has) counts as success."""
    store = tempfile.mkdtemp(prefix="xlsbench-store-")
    try:
        return timed([contacts, "import", xls, "--store", store, "--errors", store], ok=(0, 1))
    finally:
        shutil.rmtree(store, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--contacts", required=True, help="the contacts binary (release build)")
    ap.add_argument("--csv", required=True, help="the bench CSV")
    ap.add_argument("--workdir", required=True, help="where the XLS is built and cached")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=65535, help="rows of the CSV to write (header included)")
    ap.add_argument("--skip-import", action="store_true", help="do not time `contacts import`")
    args = ap.parse_args()

    python = peer_python(args.workdir)
    if python is None:
        sys.exit(0)
    if python != sys.executable and not os.environ.get("BENCH_XLS_IN_VENV"):
        # Again under the venv's Python, which has xlwt (to build the XLS) and the peers.
        env = dict(os.environ, BENCH_XLS_IN_VENV="1")
        sys.exit(subprocess.run([python, os.path.abspath(__file__)] + sys.argv[1:], env=env).returncode)

    xls = build_xls(args.csv, args.workdir, args.rows)
    tools = {
        "contacts cat": lambda: timed([args.contacts, "cat", xls]),
        "python-calamine": lambda: timed([sys.executable, "-c", CALAMINE, xls]),
        "xlrd": lambda: timed([sys.executable, "-c", XLRD, xls]),
    }
    if not args.skip_import:
        tools["contacts import"] = lambda: timed_import(args.contacts, xls)
    results = {name: [] for name in tools}
    for _ in range(args.runs):
        for name, run in tools.items():
            results[name].append(run())

    base = statistics.median(w for w, _, _ in results["contacts cat"])
    base_cpu = statistics.median(c for _, c, _ in results["contacts cat"])
    load = os.getloadavg()[0]
    print("file: %s (%.1f MB, %d rows x 12 columns); %d runs; load average %.2f%s"
          % (xls, os.path.getsize(xls) / 1e6, args.rows, args.runs, load,
             " (busy machine: trust the CPU column more than wall)" if load > 1 else ""))
    print("%-16s %9s %9s %12s %8s %8s" % ("reader", "wall s", "CPU s", "peak RSS MB", "x wall", "x CPU"))
    for name, runs in results.items():
        wall = statistics.median(w for w, _, _ in runs)
        cpu = statistics.median(c for _, c, _ in runs)
        rss = max(r for _, _, r in runs) / 1024
        print("%-16s %9.3f %9.3f %12.1f %8.2f %8.2f" % (name, wall, cpu, rss,
              wall / base if base > 0 else float("nan"), cpu / base_cpu if base_cpu > 0 else float("nan")))


if __name__ == "__main__":
    main()
