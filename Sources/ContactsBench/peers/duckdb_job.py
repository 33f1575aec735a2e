#!/usr/bin/env python3
"""The DuckDB peer of `contacts import` / `contacts export`, for the benchmark.

Does the same job as our pipeline, in SQL:
  read_csv (every column as text, file order kept)
  -> normalise: email trimmed + lower-cased and checked with a regex; names trimmed
     with inner whitespace collapsed; Australian mobiles to +61 E.164; contact type
     mapped to Anonymous < Identified < Authenticated; other fields trimmed, '' -> NULL
  -> dedupe by email inside the file: the last non-empty value of each column in
     file order wins (type: the highest seen)
  -> INSERT ... ON CONFLICT (email) DO UPDATE into a DuckDB database file
     (a non-empty incoming value replaces the stored one; an empty one never erases;
     type only moves up); or, with --upsert merge, MERGE INTO a table without a
     primary-key index (same result; faster in DuckDB, which pays for its ART index)
  -> (export phase) COPY the contacts table to CSV.

Usage:
  duckdb_job.py --db FILE --phase import --csv FILE [--upsert on-conflict|merge]
  duckdb_job.py --db FILE --phase export --out FILE
  duckdb_job.py --db FILE --phase all --csv FILE --out FILE
Prints one JSON line with counts and per-step seconds. Exit 0 on success.
"""
import argparse
import json
import sys
import time

try:
    import duckdb
except ImportError:  # the harness installs it with pip when missing
    print("duckdb is not installed: run `python3 -m pip install duckdb`", file=sys.stderr)
    sys.exit(3)

EMAIL_RE = r"^[a-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)+$"

SCHEMA = """
CREATE TABLE IF NOT EXISTS contacts (
    email            VARCHAR {key},
    first_name       VARCHAR,
    last_name        VARCHAR,
    mobile           VARCHAR,
    type_rank        INTEGER,
    favourite_colour VARCHAR,
    postcode         VARCHAR,
    date_of_birth    VARCHAR,
    hub              VARCHAR,
    opt_in           VARCHAR,
    source           VARCHAR,
    notes            VARCHAR,
    updated_at       TIMESTAMP
)
"""

# Columns copied as trimmed text (source header -> column).
PLAIN = [
    ("Favourite Colour", "favourite_colour"),
    ("Postcode", "postcode"),
    ("Date of Birth", "date_of_birth"),
    ("Hub", "hub"),
    ("Opt In", "opt_in"),
    ("Source", "source"),
    ("Notes", "notes"),
]
NAMES = [("First Name", "first_name"), ("Last Name", "last_name")]
MERGED = ["first_name", "last_name", "mobile"] + [c for _, c in PLAIN]


def q(name):
    return '"' + name.replace('"', '""') + '"'


def import_file(con, csv_path, upsert):
    steps = {}
    t = time.perf_counter()
    # A plain table keeps the file order in rowid (preserve_insertion_order is on by default).
    con.execute(
        "CREATE TEMP TABLE raw AS SELECT * FROM read_csv(?, all_varchar = true, header = true, "
        "delim = ',', quote = '\"', escape = '\"', auto_detect = false, columns = {"
        + ", ".join(f"'{h}': 'VARCHAR'" for h in [
            "Email", "First Name", "Last Name", "Mobile", "Contact Type", "Favourite Colour",
            "Postcode", "Date of Birth", "Hub", "Opt In", "Source", "Notes"])
        + "})",
        [csv_path],
    )
    steps["read_s"] = time.perf_counter() - t

    t = time.perf_counter()
    name_cols = ",\n".join(
        f"nullif(regexp_replace(trim({q(h)}), '\\s+', ' ', 'g'), '') AS {c}" for h, c in NAMES)
    plain_cols = ",\n".join(f"nullif(trim({q(h)}), '') AS {c}" for h, c in PLAIN)
    con.execute(f"""
        CREATE TEMP TABLE norm AS
        WITH base AS (
            SELECT rowid AS rn,
                   lower(trim(coalesce("Email", ''))) AS email,
                   regexp_replace(coalesce("Mobile", ''), '[^0-9]', '', 'g') AS digits,
                   lower(trim(coalesce("Contact Type", ''))) AS ctype,
                   *
            FROM raw
        )
        SELECT rn, email,
               email <> '' AND regexp_full_match(email, '{EMAIL_RE.replace("'", "''")}') AS valid,
               {name_cols},
               CASE
                   WHEN length(digits) = 10 AND starts_with(digits, '04') THEN '+61' || substr(digits, 2)
                   WHEN length(digits) = 11 AND starts_with(digits, '614') THEN '+' || digits
                   WHEN length(digits) = 9 AND starts_with(digits, '4') THEN '+61' || digits
                   ELSE NULL
               END AS mobile,
               CASE ctype WHEN 'anonymous' THEN 1 WHEN 'identified' THEN 2 WHEN 'authenticated' THEN 3 END AS type_rank,
               {plain_cols}
        FROM base
    """)
    counts = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE valid), count(*) FILTER (WHERE NOT valid) FROM norm").fetchone()
    steps["normalise_s"] = time.perf_counter() - t

    t = time.perf_counter()
    last_cols = ",\n".join(f"arg_max({c}, rn) FILTER (WHERE {c} IS NOT NULL) AS {c}" for c in MERGED)
    con.execute(f"""
        CREATE TEMP TABLE dedup AS
        SELECT email, {last_cols}, max(type_rank) AS type_rank
        FROM norm WHERE valid GROUP BY email
    """)
    unique = con.execute("SELECT count(*) FROM dedup").fetchone()[0]
    steps["dedupe_s"] = time.perf_counter() - t

    t = time.perf_counter()
    cols = ["email"] + MERGED + ["type_rank"]
    sets = ",\n".join(f"{c} = coalesce(excluded.{c}, contacts.{c})" for c in MERGED)
    before = con.execute("SELECT count(*) FROM contacts").fetchone()[0]
    con.execute("BEGIN")
    if upsert == "merge":
        merge_sets = ",\n".join(f"{c} = coalesce(d.{c}, contacts.{c})" for c in MERGED)
        con.execute(f"""
            MERGE INTO contacts USING dedup AS d ON contacts.email = d.email
            WHEN MATCHED THEN UPDATE SET
                {merge_sets},
                type_rank = greatest(coalesce(d.type_rank, 0), coalesce(contacts.type_rank, 0)),
                updated_at = now()
            WHEN NOT MATCHED THEN
                INSERT ({", ".join(cols)}, updated_at) VALUES ({", ".join("d." + c for c in cols)}, now())
        """)
    else:
        con.execute(f"""
            INSERT INTO contacts ({", ".join(cols)}, updated_at)
            SELECT {", ".join(cols)}, now() FROM dedup
            ON CONFLICT (email) DO UPDATE SET
                {sets},
                type_rank = greatest(coalesce(excluded.type_rank, 0), coalesce(contacts.type_rank, 0)),
                updated_at = excluded.updated_at
        """)
    con.execute("COMMIT")
    after = con.execute("SELECT count(*) FROM contacts").fetchone()[0]
    steps["upsert_s"] = time.perf_counter() - t
    for table in ("raw", "norm", "dedup"):
        con.execute(f"DROP TABLE {table}")
    return {
        "rows": counts[0], "valid_rows": counts[1], "rejected_rows": counts[2],
        "unique_in_file": unique, "created": after - before, "updated": unique - (after - before),
        "contacts": after, **steps,
    }


def export_csv(con, out_path):
    t = time.perf_counter()
    con.execute(f"""
        COPY (
            SELECT email, first_name, last_name, mobile,
                   CASE type_rank WHEN 1 THEN 'Anonymous' WHEN 2 THEN 'Identified' WHEN 3 THEN 'Authenticated' END
                       AS contact_type,
                   favourite_colour, postcode, date_of_birth, hub, opt_in, source, notes
            FROM contacts
        ) TO '{out_path.replace("'", "''")}' (HEADER, DELIMITER ',')
    """)
    exported = con.execute("SELECT count(*) FROM contacts").fetchone()[0]
    return {"exported": exported, "export_s": time.perf_counter() - t}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="DuckDB database file (created if missing)")
    parser.add_argument("--phase", choices=["import", "export", "all"], default="all")
    parser.add_argument("--csv", help="input CSV (import, all)")
    parser.add_argument("--out", help="output CSV (export, all)")
    parser.add_argument("--upsert", choices=["on-conflict", "merge"], default="on-conflict",
                        help="INSERT ... ON CONFLICT on a primary key (default) or MERGE INTO without one")
    args = parser.parse_args()
    if args.phase in ("import", "all") and not args.csv:
        parser.error("--csv is required for the import phase")
    if args.phase in ("export", "all") and not args.out:
        parser.error("--out is required for the export phase")

    started = time.perf_counter()
    con = duckdb.connect(args.db)
    con.execute(SCHEMA.format(key="PRIMARY KEY" if args.upsert == "on-conflict" else ""))
    result = {"duckdb": duckdb.__version__, "phase": args.phase, "upsert": args.upsert}
    if args.phase in ("import", "all"):
        result.update(import_file(con, args.csv, args.upsert))
    if args.phase in ("export", "all"):
        result.update(export_csv(con, args.out))
    con.close()
    result["total_s"] = time.perf_counter() - started
    print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in result.items()}))


if __name__ == "__main__":
    main()
