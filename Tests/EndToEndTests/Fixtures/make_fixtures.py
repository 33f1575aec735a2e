"""Makes the end-to-end workbook fixtures with real writers (xlsxwriter, xlwt).

The same contacts are written as CSV, XLSX and XLS, so a test can check that each
format imports to exactly the same store. Run: python3 make_fixtures.py
"""
import csv
import datetime

import xlsxwriter
import xlwt

HEADER = ["Email", "First Name", "Last Name", "Mobile", "Postcode", "Date of Birth", "Opt In", "Score"]
ROWS = [
    ["ann.lee@example.com", "Ann", "Lee", 412345678, "0800", datetime.date(1990, 4, 12), True, 12.5],
    ["bob.ng@example.com", "Bob", "Ng", "0423 456 789", "2000", datetime.date(1985, 11, 30), False, 7],
    ["  CARA@Example.com ", "Cara", "Diaz", "+61 434 567 890", "3000", None, True, None],
    ["not an email", "Dan", "Bad", "", "", None, None, None],
    ["ann.lee@example.com", "", "Lee-Smith", "", "", None, None, 99],
]


def as_text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


with open("contacts.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(HEADER)
    for r in ROWS:
        w.writerow([as_text(v) for v in r])

def write_contacts(wb, ws, header_row):
    """Writes HEADER on `header_row` of `ws` and ROWS under it: dates as dates, postcodes as text."""
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    text_fmt = wb.add_format({"num_format": "@"})
    ws.write_row(header_row, 0, HEADER)
    for i, r in enumerate(ROWS, start=header_row + 1):
        for j, v in enumerate(r):
            if v is None:
                continue
            if isinstance(v, datetime.date):
                ws.write_datetime(i, j, datetime.datetime(v.year, v.month, v.day), date_fmt)
            elif j == 4:
                ws.write_string(i, j, v, text_fmt)
            else:
                ws.write(i, j, v)


wb = xlsxwriter.Workbook("contacts.xlsx")
wb.add_worksheet("Read me")  # an empty first sheet
write_contacts(wb, wb.add_worksheet("Contacts"), 0)
wb.close()

book = xlwt.Workbook()
book.add_sheet("Read me")
sheet = book.add_sheet("Contacts")
date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
for j, h in enumerate(HEADER):
    sheet.write(0, j, h)
for i, r in enumerate(ROWS, start=1):
    for j, v in enumerate(r):
        if v is None:
            continue
        if isinstance(v, datetime.date):
            sheet.write(i, j, datetime.datetime(v.year, v.month, v.day), date_style)
        else:
            sheet.write(i, j, v)
book.save("contacts.xls")

# A workbook as marketers often get one: a cover sheet first, and the contacts under a title
# and a note, with a blank row before the header.
wb = xlsxwriter.Workbook("cover-and-title.xlsx")
cover = wb.add_worksheet("Cover")
cover.write(0, 0, "Spring competition")
cover.write(1, 0, "Exported by the events team")
ws = wb.add_worksheet("Entries")
ws.write(0, 0, "Spring competition entries")
ws.write(1, 0, "Exported 3 November")
write_contacts(wb, ws, 3)
wb.close()
