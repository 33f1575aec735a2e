#!/usr/bin/env python3
"""Times `contacts` reading XLSX against python-calamine and DuckDB's read_xlsx.

Builds (once, cached in --workdir) two workbooks from the bench CSV with xlsxwriter:
  big-constant-memory.xlsx  the first 1,000,000 rows, constant_memory mode (inline strings)
  shared-100k.xlsx          the first 100,000 rows, normal mode (shared strings)
then runs, side by side, --runs rounds of each tool in turn, under /usr/bin/time -f '%e %M':
  contacts cat FILE > /dev/null
  contacts import FILE --store TMPDIR --errors TMPDIR   (only if the binary has `import --store`)
  python-calamine  CalamineWorkbook.from_path(p).get_sheet_by_index(0).to_python()
  duckdb           COPY (SELECT * FROM read_xlsx(p, all_varchar=true)) TO '/dev/null'
and prints the median wall seconds, median CPU seconds (user+sys), peak RSS (MB) and the
ratio of each tool's wall time to `contacts cat`'s (above 1 means slower than contacts), as
medians over all runs and as the median of each round's own ratio.

Peers come from a venv the script creates once under --workdir (peer-venv/) with
`pip install duckdb==1.5.5 duckdb-extension-excel==1.5.5 python-calamine xlsxwriter`:
DuckDB's own INSTALL excel needs its extension server, which is not always reachable,
while the pip package carries the extension for that exact duckdb version. When the
venv cannot be made (no venv module, no PyPI), the script says why and falls back to
the running Python's packages, skipping a peer it lacks. --duckdb-python and
--calamine-python override (e.g. a Python whose duckdb already has the extension).

Usage:
  bench_xlsx.py --contacts .build/release/contacts --csv bench.csv --workdir /tmp/xlsxbench --runs 3
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

from peer_venv import imports, peer_venv

CALAMINE = """
import sys
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
print(len(rows), file=sys.stderr)
"""

DUCKDB = """
import sys, os, glob, duckdb
con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
try:
    con.execute("LOAD excel")
except Exception:
    try:
        import duckdb_extension_excel as ext
        path = glob.glob(os.path.join(os.path.dirname(ext.__file__), "extensions", "*", "excel.duckdb_extension"))[0]
        con.execute(f"LOAD '{path}'")
    except Exception:
        con.execute("INSTALL excel")
        con.execute("LOAD excel")
p = sys.argv[1].replace("'", "''")
con.execute(f"COPY (SELECT * FROM read_xlsx('{p}', all_varchar = true)) TO '/dev/null' (FORMAT csv)")
"""


PEER_PACKAGES = ["duckdb==1.5.5", "duckdb-extension-excel==1.5.5", "python-calamine", "xlsxwriter"]

PROBE_DUCKDB = DUCKDB.split("p = sys.argv[1]")[0]


def typed(value):
    """A CSV field as xlsxwriter should store it: numbers as numbers, the rest as text."""
    if value and len(value) <= 15 and not (len(value) > 1 and value[0] == "0" and value[1] != "."):
        try:
            return int(value)
        except ValueError:
            pass
        try:
            f = float(value)
            if f == f and f not in (float("inf"), float("-inf")) and any(c.isdigit() for c in value):
                return f
        except ValueError:
            pass
    return value


def stamp_of(csv_path, rows):
    """What a workbook was built from: a cached one built from another CSV is rebuilt."""
    st = os.stat(csv_path)
    return {"csv": os.path.abspath(csv_path), "size": st.st_size, "mtime": st.st_mtime, "rows": rows}


def is_current(out_path, csv_path, rows):
    """Whether out_path exists and was built from csv_path's first `rows` rows."""
    try:
        with open(out_path + ".json") as f:
            return os.path.exists(out_path) and json.load(f) == stamp_of(csv_path, rows)
    except (OSError, ValueError):
        return False


def build(csv_path, out_path, rows, constant_memory):
    import xlsxwriter

    if is_current(out_path, csv_path, rows):
        return
    tmp = out_path + ".part"
    book = xlsxwriter.Workbook(tmp, {"constant_memory": constant_memory, "strings_to_numbers": False})
    sheet = book.add_worksheet("contacts")
    with open(csv_path, newline="", encoding="utf-8") as f:
        for r, record in enumerate(csv.reader(f)):
            if r >= rows:
                break
            for c, value in enumerate(record):
                v = typed(value) if r > 0 else value
                if isinstance(v, str):
                    sheet.write_string(r, c, v)
                else:
                    sheet.write_number(r, c, v)
    book.close()
    os.replace(tmp, out_path)
    with open(out_path + ".json", "w") as f:
        json.dump(stamp_of(csv_path, rows), f)


def timed(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time; returns (wall s, peak RSS MB, CPU s) or None on failure."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", t.name] + cmd,
                              stdout=stdout, stderr=subprocess.PIPE)
        # `contacts import` exits 1 when it finished with rejected rows: a normal outcome.
        ok = proc.returncode == 0 or (proc.returncode == 1 and "import" in cmd)
        if not ok:
            sys.stderr.write(f"  failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()[-2000:]}\n")
            return None
        fields = t.read().split()
        return float(fields[-4]), int(fields[-3]) / 1024.0, float(fields[-2]) + float(fields[-1])


def has_import_store(contacts):
    try:
        p = subprocess.run([contacts, "import", "--help"], capture_output=True, timeout=30)
    except Exception:
        return False
    return p.returncode == 0 and b"--store" in (p.stdout + p.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--contacts", required=True, help="path to the contacts binary")
    ap.add_argument("--csv", required=True, help="bench CSV (header + at least 1M rows)")
    ap.add_argument("--workdir", required=True, help="where the workbooks are built and cached")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duckdb-python", help="python with duckdb (+ excel extension); default: the peer venv")
    ap.add_argument("--calamine-python", help="python with python-calamine; default: the peer venv")
    ap.add_argument("--only", default="", help="comma list of workbooks to run: big,shared")
    ap.add_argument("--build-one", nargs=4, metavar=("CSV", "OUT", "ROWS", "CONSTANT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build_one:
        csv_path, out, rows, constant = args.build_one
        build(csv_path, out, int(rows), constant == "1")
        return

    os.makedirs(args.workdir, exist_ok=True)
    venv_python = None
    if not (args.duckdb_python and args.calamine_python):
        venv_python = peer_venv(args.workdir, PEER_PACKAGES, "bench_xlsx")
        if venv_python is None:
            print("bench_xlsx: using this Python's packages", flush=True)
    fallback = venv_python or sys.executable
    args.duckdb_python = args.duckdb_python or fallback
    args.calamine_python = args.calamine_python or fallback
    books = {
        "big": (os.path.join(args.workdir, "big-constant-memory.xlsx"), 1_000_000, True),
        "shared": (os.path.join(args.workdir, "shared-100k.xlsx"), 100_000, False),
    }
    wanted = [b for b in (args.only.split(",") if args.only else books) if b in books]
    for name in wanted:
        path, rows, constant = books[name]
        if is_current(path, args.csv, rows):
            continue
        print(f"building {path} ({rows} rows, constant_memory={constant}) ...", flush=True)
        if imports(sys.executable, "import xlsxwriter"):
            build(args.csv, path, rows, constant)
        elif venv_python:
            subprocess.run([venv_python, os.path.abspath(__file__), "--contacts", "-", "--csv", "-", "--workdir", "-",
                            "--build-one", args.csv, path, str(rows), "1" if constant else "0"], check=True)
        else:
            sys.exit("xlsxwriter is missing (pip install xlsxwriter) and the peer venv could not be made")

    tools = [("contacts cat", lambda p: [args.contacts, "cat", p])]
    if has_import_store(args.contacts):
        tools.append(("contacts import", None))
    if imports(args.calamine_python, "import python_calamine"):
        tools.append(("python-calamine", lambda p: [args.calamine_python, "-c", CALAMINE, p]))
    else:
        print(f"skipping python-calamine: {args.calamine_python} cannot import python_calamine")
    if imports(args.duckdb_python, PROBE_DUCKDB):
        tools.append(("duckdb read_xlsx", lambda p: [args.duckdb_python, "-c", DUCKDB, p]))
    else:
        print(f"skipping DuckDB: {args.duckdb_python} cannot load duckdb's excel extension "
              "(pip install duckdb==1.5.5 duckdb-extension-excel==1.5.5 there, or pass --duckdb-python)")

    for name in wanted:
        path = books[name][0]
        print(f"\n== {os.path.basename(path)} ({os.path.getsize(path) / 1e6:.0f} MB), {args.runs} run(s) each")
        # Rounds, not one tool's runs after another's: each round runs every tool once, so a
        # spell of host load (these machines are shared) falls on all tools alike, and each
        # round gives a ratio to `contacts cat` measured minutes apart at most.
        samples = {label: [] for label, _ in tools}
        failed = set()
        for _ in range(args.runs):
            for label, make in tools:
                if label in failed:
                    continue
                if label == "contacts import":
                    store = tempfile.mkdtemp(prefix="bench-store-", dir=args.workdir)
                    r = timed([args.contacts, "import", path, "--store", store, "--errors", store])
                    shutil.rmtree(store, ignore_errors=True)
                else:
                    r = timed(make(path))
                if r is None:
                    failed.add(label)
                else:
                    samples[label].append(r)
        results = {label: (statistics.median(s[0] for s in runs), max(s[1] for s in runs),
                           statistics.median(s[2] for s in runs))
                   for label, runs in samples.items() if runs}
        base = results.get("contacts cat", (None,))[0]
        print(f"{'tool':<20}{'median s':>10}{'CPU s':>8}{'peak RSS MB':>14}{'× contacts cat':>16}{'per round':>12}")
        for label, (wall, rss, cpu) in results.items():
            ratio = f"{wall / base:.2f}" if base else "-"
            # The median of the ratios of runs made in the same round as `cat`'s.
            pairs = list(zip(samples[label], samples.get("contacts cat", [])))
            paired = f"{statistics.median(a[0] / b[0] for a, b in pairs):.2f}" if pairs and base else "-"
            print(f"{label:<20}{wall:>10.2f}{cpu:>8.2f}{rss:>14.0f}{ratio:>16}{paired:>12}")


if __name__ == "__main__":
    main()
