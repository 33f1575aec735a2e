#!/usr/bin/env python3
"""Hunts for crashes and hangs on damaged workbooks, through the real `contacts` binary.

Takes real workbooks as seeds (the shared corpus's xlsx/ folder and the test fixtures under
Tests/TabularTests/Fixtures/xlsx, plus any --seed files), and for --seconds makes mutants:
mostly one part (sheet XML, shared strings, styles, workbook, relationships) damaged with
byte flips, cuts, repeats and XML-ish insertions, then zipped again with valid CRCs, so the
damage reaches the XML parser and the cell handlers rather than stopping at the CRC check;
sometimes raw byte damage to the archive itself. Each mutant goes through
`contacts cat FILE`, `contacts cat FILE --sheet 2` and (with --import) `contacts import FILE
--store TMP`. Any exit by a signal, an exit code outside DESIGN.md's, or a run over --timeout
seconds is a bug: the mutant is kept under --out with the command's last words.

    python3 peers/fuzz_xlsx.py --contacts .build/release/contacts --seconds 300 --import \\
        --seed some-contacts.xlsx

Standard library only. Same --rng, same mutants (for replaying a find).
"""
import argparse
import glob
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile

# DESIGN.md's exit codes (0 done, 1 done with rejected rows, 2 usage or config, 3 an input
# file unreadable, 4 store error), and 64, swift-argument-parser's for a usage error.
EXIT_CODES = {0, 1, 2, 3, 4, 64}

INSERTIONS = [b"<", b">", b'"', b"&", b"&amp;", b'r="A1"', b'r="XFD1048577"', b"99999999999",
              b"\x00", b"\xff\xfe", b"<c>", b'<c t="s"><v>5</v></c>', b"</row>", b'<row r="0">',
              b"_x0000_", b"_x0041_", b't="s"', b's="9999"', b"<v>1e308</v>", b"<![CDATA[x]]>"]


def damage(data, rng):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        at = rng.randrange(len(data))
        op = rng.random()
        if op < 0.45:
            data[at] = rng.randrange(256)
        elif op < 0.65:
            del data[at:at + rng.randint(1, 30)]
        elif op < 0.9:
            data[at:at] = rng.choice(INSERTIONS)
        else:
            data[at:at] = data[max(0, at - 80):at]
    return bytes(data)


def damage_one_part(data, rng):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        parts = [n for n in names if n.endswith(".xml") or n.endswith(".rels")] or names
        target = rng.choice(parts)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as writer:
            for name in names:
                content = archive.read(name)
                writer.writestr(name, damage(content, rng) if name == target else content)
        return out.getvalue()
    except Exception:
        return damage(data, rng)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", "..", ".."))
    corpus = os.environ.get("CONTACTS_CORPUS", os.path.join(root, "..", "shared", "corpus"))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", required=True, help="the contacts binary")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--timeout", type=float, default=30, help="seconds one run may take")
    parser.add_argument("--import", dest="do_import", action="store_true", help="also import each mutant")
    parser.add_argument("--seed", action="append", default=[], help="another seed workbook")
    parser.add_argument("--rng", type=int, default=1)
    parser.add_argument("--out", default="bench-out/fuzz_xlsx")
    args = parser.parse_args()
    # A seed fixture holds duplicate entry names on purpose; zipfile warns as it copies them.
    warnings.simplefilter("ignore", UserWarning)

    seeds = sorted(glob.glob(os.path.join(corpus, "xlsx", "*.xlsx")))
    seeds += sorted(glob.glob(os.path.join(root, "Tests", "TabularTests", "Fixtures", "xlsx", "*.xlsx")))
    seeds += args.seed
    if not seeds:
        sys.exit("no seed workbooks: give --seed, or set CONTACTS_CORPUS")
    originals = [open(path, "rb").read() for path in seeds]
    rng = random.Random(args.rng)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="fuzz_xlsx.")
    mutant = os.path.join(work, "mutant.xlsx")
    store = os.path.join(work, "store")
    cases = finds = 0
    deadline = time.time() + args.seconds
    try:
        while time.time() < deadline:
            data = rng.choice(originals)
            data = damage_one_part(data, rng) if rng.random() < 0.8 else damage(data, rng)
            with open(mutant, "wb") as f:
                f.write(data)
            cases += 1
            commands = [[args.contacts, "cat", mutant], [args.contacts, "cat", mutant, "--sheet", "2"]]
            if args.do_import:
                commands.append([args.contacts, "import", "--store", store, mutant])
            for command in commands:
                try:
                    run = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                         timeout=args.timeout)
                    bad = run.returncode not in EXIT_CODES
                    what = f"exit {run.returncode}: {run.stderr[-400:].decode('utf-8', 'replace')}"
                except subprocess.TimeoutExpired:
                    bad, what = True, f"no end after {args.timeout:.0f} s"
                if "import" in command:
                    shutil.rmtree(store, ignore_errors=True)
                if bad:
                    finds += 1
                    kept = os.path.join(args.out, f"find-{args.rng}-{cases}.xlsx")
                    shutil.copy(mutant, kept)
                    shown = " ".join("FILE" if part == mutant else part for part in command[1:])
                    print(f"FIND {kept}: contacts {shown}: {what}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{cases} mutants of {len(seeds)} seed workbooks, {finds} finds")
    sys.exit(1 if finds else 0)


if __name__ == "__main__":
    main()
