#!/usr/bin/env python3
"""Checks a CSV made by `ContactsBench generate` with Python's csv module, and
optionally an export of it against a plain-Python reference of the merge rules.

  check_generated.py --csv FILE                 record count, 12 fields each, share of
                                                duplicate / invalid / empty emails, ...
  check_generated.py --csv FILE --export OUT    also: OUT (a CSV with a header naming
                                                email, first_name, ... as duckdb_job.py
                                                writes) holds exactly the expected contacts

Reference rules: email trimmed + lower-cased, checked with the regex below; names
trimmed with inner whitespace collapsed; Australian mobiles to +61 E.164 (else empty);
other fields trimmed; the last non-empty value per column in file order wins; the
contact type is the highest of Anonymous < Identified < Authenticated seen.
Exit 0 when every check passes, 1 otherwise. Standard library only.
"""
import argparse
import collections
import csv
import re
import sys

EMAIL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
                   r"(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)+$")
RANK = {"anonymous": 1, "identified": 2, "authenticated": 3}
TYPE_NAME = {1: "Anonymous", 2: "Identified", 3: "Authenticated"}
COLUMNS = ["email", "first_name", "last_name", "mobile", "contact_type", "favourite_colour", "postcode",
           "date_of_birth", "hub", "opt_in", "source", "notes"]


def mobile(value):
    digits = re.sub(r"[^0-9]", "", value)
    if len(digits) == 10 and digits.startswith("04"):
        return "+61" + digits[1:]
    if len(digits) == 11 and digits.startswith("614"):
        return "+" + digits
    if len(digits) == 9 and digits.startswith("4"):
        return "+61" + digits
    return ""


def collapse(value):
    return re.sub(r"\s+", " ", value.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", required=True)
    parser.add_argument("--export", help="an export to compare with the reference merge")
    args = parser.parse_args()

    rows = wrong_width = duplicates = invalid = empty = with_break = 0
    shapes = collections.Counter()
    state = {}
    with open(args.csv, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for record in reader:
            rows += 1
            if len(record) != 12:
                wrong_width += 1
                continue
            if "\n" in record[11]:
                with_break += 1
            shapes[re.sub(r"\d", "9", record[3])] += 1
            email = record[0].strip().lower()
            if not email:
                empty += 1
                continue
            if not EMAIL.match(email):
                invalid += 1
                continue
            if email in state:
                duplicates += 1
            values = [collapse(record[1]), collapse(record[2]), mobile(record[3])] + [v.strip() for v in record[5:12]]
            current = state.setdefault(email, [[""] * 10, 0])
            for index, value in enumerate(values):
                if value:
                    current[0][index] = value
            current[1] = max(current[1], RANK.get(record[4].strip().lower(), 0))

    print(f"header: {header}")
    print(f"records {rows:,}; not 12 fields {wrong_width}; unique valid emails {len(state):,}")
    print(f"repeated emails {duplicates:,} ({duplicates / max(rows, 1):.2%}); invalid {invalid:,} "
          f"({invalid / max(rows, 1):.2%}); empty {empty:,} ({empty / max(rows, 1):.2%}); "
          f"notes with a line break {with_break:,}")
    print("mobile shapes: " + ", ".join(f"{shape or '(blank)'} {count:,}" for shape, count in shapes.most_common(10)))
    ok = len(header) == 12 and wrong_width == 0
    if rows >= 10_000:  # proportions are only meaningful on big files
        ok &= 0.08 < duplicates / rows < 0.12 and 0.007 < invalid / rows < 0.013 and 0.003 < empty / rows < 0.007

    if args.export:
        got = {}
        with open(args.export, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for record in reader:
                got[record["email"]] = [record.get(column, "") or "" for column in COLUMNS]
        differences = 0
        for email, (values, rank) in state.items():
            expected = [email] + values[:3] + [TYPE_NAME.get(rank, "")] + values[3:]
            if got.get(email) != expected:
                differences += 1
                if differences <= 3:
                    print(f"  expected {expected}\n  got      {got.get(email)}")
        extra = len(set(got) - set(state))
        print(f"export: {len(got):,} contacts, expected {len(state):,}; {differences:,} differ; {extra:,} unexpected")
        ok &= differences == 0 and extra == 0
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
