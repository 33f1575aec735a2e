#!/usr/bin/env python3
"""Writes the CSV reader's fixtures with Python's own codecs and xlsxwriter (not with our code).

Run from this folder: python3 make_fixtures.py
"""
import csv
import io

import xlsxwriter

ROWS = [
    ["Name", "City", "Note"],
    ["José", "Zürich", "café €5"],
    ["Ann", "Köln", "it’s “quoted”"],
    ["Emoji", "😀", "a\tb"],
]


def excel_unicode_text(encoding):
    """Excel's "Unicode Text": UTF-16 with BOM, TAB-separated, CRLF."""
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(ROWS)
    bom = b"\xff\xfe" if encoding == "utf-16-le" else b"\xfe\xff"
    return bom + out.getvalue().encode(encoding)


with open("utf16le_bom_tab.txt", "wb") as f:
    f.write(excel_unicode_text("utf-16-le"))
with open("utf16be_bom_tab.txt", "wb") as f:
    f.write(excel_unicode_text("utf-16-be"))

# Windows-1252 (no emoji there), semicolon-separated, CRLF, as Excel on a German Windows writes.
out = io.StringIO()
csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
    [["Name", "Ville", "Prix"], ["Renée", "Orléans", "12 €"], ["O’Brien", "Dublin", "“quoted”"]]
)
with open("windows1252_semicolon.csv", "wb") as f:
    f.write(out.getvalue().encode("cp1252"))

# A real workbook saved under a .csv name (xlsxwriter stamps the time: regenerate only if needed).
wb = xlsxwriter.Workbook("xlsx_renamed.csv")
ws = wb.add_worksheet("Contacts")
ws.write_row(0, 0, ["email", "first_name"])
ws.write_row(1, 0, ["ann@example.com", "Ann"])
wb.close()

# What Python's csv.writer (QUOTE_MINIMAL, "\n") writes for awkward rows: CSVWriter must match it byte for byte.
import json

WRITER_ROWS = [
    ["email", "name", "note"],
    ["a@example.com", "Ann, Jr.", 'said "hi"'],
    ["", "", ""],
    [""],
    [],
    # (A field with a bare CR is left out: Python 3.11 leaves it unquoted, CSVWriter quotes it.)
    ["line\nbreak", "crlf\r\nend"],
    ['"', '""', "x\"y"],
    [" lead", "trail ", "tab\there"],
    ["Zoë", "😀", "semi;colon|pipe"],
    ["x" * 5000 + ",", "end"],
]
with open("writer_rows.json", "w", encoding="utf-8") as f:
    json.dump(WRITER_ROWS, f, ensure_ascii=False)
with open("writer_expected.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows(WRITER_ROWS)
