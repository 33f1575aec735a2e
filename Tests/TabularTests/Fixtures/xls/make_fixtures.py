#!/usr/bin/env python3
"""Writes the XLS test fixtures with xlwt 1.3 (pip install xlwt). Run from this folder.

The expectations in Tests/TabularTests/XLSFixtureTests.swift are written by hand from
what this script puts in each cell.
"""
import datetime
import xlwt


def types():
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Types")
    fmt = lambda f: xlwt.easyxf(num_format_str=f)
    ws.write(0, 0, "kind")
    ws.write(0, 1, "value")
    # Numbers (xlwt stores integers as RK, others as NUMBER).
    numbers = [0, 15, -3, 3003126885, 0.3, 1.6900000000000002, 1.23456789e22, 123456789012345.6, -0.5, 1e-05, 41333.5]
    for i, n in enumerate(numbers):
        ws.write(1 + i, 0, "number")
        ws.write(1 + i, 1, n)
    r = 1 + len(numbers)  # 12
    # Dates and times under date formats.
    dates = [
        (datetime.datetime(2021, 1, 1), "YYYY-MM-DD"),
        (datetime.datetime(2013, 2, 28, 12, 0), "DD/MM/YYYY hh:mm"),
        (datetime.time(12, 30), "hh:mm"),
        (10.6320601851852, "[h]:mm:ss"),
        (0.75, "[mm]:ss"),
        (44197.25, "[$-409]mmmm d, yyyy h:mm AM/PM"),
        (44197, "[Red]dd.mm.yyyy;[Blue]@"),
        (0.5, "mm:ss"),
    ]
    for value, f in dates:
        ws.write(r, 0, "date " + f)
        ws.write(r, 1, value, fmt(f))
        r += 1
    # Numbers under formats that only look like dates.
    plain = [(1234.5, '"day "0.00'), (2.5, "0.0\\h"), (7, "[Red]0.00"), (150, "[>100]0;0"), (3, "0_m"), (4, "General")]
    for value, f in plain:
        ws.write(r, 0, "plain " + f)
        ws.write(r, 1, value, fmt(f))
        r += 1
    # r == 26: text, booleans, errors.
    texts = ["Zoë", "日本語", "emoji 😀", "Привет", "tab\there", "line\nbreak", "quote \"x\", comma"]
    for t in texts:
        ws.write(r, 0, "text")
        ws.write(r, 1, t)
        r += 1
    ws.write(r, 0, "bool")
    ws.write(r, 1, True)
    r += 1
    ws.write(r, 0, "bool")
    ws.write(r, 1, False)
    r += 1
    # Numeric codes: xlwt maps the literal "#VALUE!" to the #NUM! code.
    for e in [0x2A, 0x07, 0x0F, 0x17, 0x1D, 0x24, 0x00]:  # #N/A #DIV/0! #VALUE! #REF! #NAME? #NUM! #NULL!
        ws.write(r, 0, "error")
        ws.row(r).set_cell_error(1, e)
        r += 1
    # r == 42: a gap of two rows, then a row starting in column E.
    ws.write(r + 2, 4, "far")
    book.save("xlwt_types.xls")


def dates_1904():
    book = xlwt.Workbook(encoding="utf-8")
    book.dates_1904 = True
    ws = book.add_sheet("Sheet1")
    ws.write(0, 0, 1, xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    ws.write(1, 0, 0.5, xlwt.easyxf(num_format_str="hh:mm:ss"))
    ws.write(2, 0, 10.6320601851852, xlwt.easyxf(num_format_str="[h]:mm:ss"))
    book.save("xlwt_1904.xls")


def sheets():
    book = xlwt.Workbook(encoding="utf-8")
    hidden = book.add_sheet("Hidden")
    hidden.write(0, 0, "secret")
    hidden.visibility = 1
    data = book.add_sheet("Données €")
    data.write(0, 0, "visible")
    book.add_sheet("Empty")
    book.save("xlwt_sheets.xls")


def long_strings():
    """Enough shared strings to need CONTINUE records, including strings split across them."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Strings")
    for i in range(3000):
        ws.write(i, 0, "row %d %s" % (i, "abcdefghij" * (i % 7)))
        ws.write(i, 1, "ünï %d %s" % (i, "日本" * (i % 5)))
        ws.write(i, 2, i)
    ws.write(3000, 0, "x" * 20000)
    ws.write(3000, 1, "é" * 9000 + "語" * 9000)
    book.save("xlwt_long_strings.xls")


if __name__ == "__main__":
    types()
    dates_1904()
    sheets()
    long_strings()
