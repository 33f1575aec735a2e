#!/usr/bin/env python3
"""Makes the XLSX/ZIP fixtures of TabularTests with real writers: xlsxwriter for the
workbooks, Python's zipfile (and a few hand-packed ZIP records) for the damaged or
unusual archives. Run from this folder: python3 make_fixtures.py"""
import datetime
import io
import struct
import zipfile
import zlib

import xlsxwriter


def basic(path, **options):
    wb = xlsxwriter.Workbook(path, options)
    ws = wb.add_worksheet("Data")
    bold = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": 14})
    custom = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    elapsed = wb.add_format({"num_format": "[h]:mm:ss"})
    quoted = wb.add_format({"num_format": '"day "0'})
    red = wb.add_format({"num_format": "[Red]0.00;[Blue]-0.00"})
    escaped = wb.add_format({"num_format": "0\\h"})
    ws.write_string(0, 0, "name", bold)
    ws.write_string(0, 1, "value")
    ws.write_string(1, 0, "integer")
    ws.write_number(1, 1, 491701234567)
    ws.write_string(2, 0, "decimal")
    ws.write_number(2, 1, 0.1 + 0.2)
    ws.write_string(3, 0, "date")
    ws.write_datetime(3, 1, datetime.datetime(2024, 2, 29), date)
    ws.write_string(4, 0, "datetime")
    ws.write_datetime(4, 1, datetime.datetime(2024, 2, 29, 13, 45), custom)
    ws.write_string(5, 0, "elapsed")
    ws.write_number(5, 1, 1.5, elapsed)
    ws.write_string(6, 0, "quoted")
    ws.write_number(6, 1, 7, quoted)
    ws.write_string(7, 0, "colour")
    ws.write_number(7, 1, 2.5, red)
    ws.write_string(8, 0, "escaped")
    ws.write_number(8, 1, 3, escaped)
    ws.write_string(9, 0, "bool")
    ws.write_boolean(9, 1, True)
    ws.write_string(10, 0, "error")
    ws.write_formula(10, 1, "=1/0", None, "#DIV/0!")
    ws.write_string(11, 0, "formula text")
    ws.write_formula(11, 1, '="a"&"b"', None, "ab")
    ws.write_string(12, 0, "rich")
    ws.write_rich_string(12, 1, "plain ", bold, "bold", " tail")
    ws.write_string(13, 0, "text number")
    ws.write_string(13, 1, "00123")
    ws.write_string(14, 0, "carriage")
    ws.write_string(14, 1, "a\rb")
    ws.write_string(16, 3, "sparse D17")
    hidden = wb.add_worksheet("Hidden")
    hidden.write_string(0, 0, "secret")
    hidden.hide()
    wb.add_worksheet("Empty")
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"values": "=Data!$B$2:$B$3"})
    cs = wb.add_chartsheet("Chart")
    cs.set_chart(chart)
    wb.close()


def date1904(path):
    wb = xlsxwriter.Workbook(path, {"date_1904": True})
    ws = wb.add_worksheet()
    ws.write_datetime(0, 0, datetime.datetime(2024, 2, 29), wb.add_format({"num_format": "dd/mm/yyyy"}))
    wb.close()


def rezip(src, dst, transform=None, extra=(), compression=zipfile.ZIP_DEFLATED, stream=False, level=None):
    """Copies src's entries into dst, optionally changing parts; `stream` writes through
    an unseekable file so that zipfile uses data descriptors."""
    with zipfile.ZipFile(src) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()

    class Unseekable:
        def write(self, b):
            return buf.write(b)

        def flush(self):
            pass

    target = Unseekable() if stream else buf
    with zipfile.ZipFile(target, "w", compression=compression, compresslevel=level) as out:
        for name, data in parts:
            if transform:
                data = transform(name, data)
            if data is not None:
                out.writestr(name, data)
        for name, data in extra:
            out.writestr(name, data)
    open(dst, "wb").write(buf.getvalue())


def zip64(src, dst):
    """Hand-packs src's entries as ZIP64: saturated 32-bit sizes and offsets in the central
    directory with a ZIP64 extra field, then a ZIP64 end record and locator."""
    with zipfile.ZipFile(src) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    out = bytearray()
    central = bytearray()
    for name, data in parts:
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = comp.compress(data) + comp.flush()
        crc = zlib.crc32(data)
        offset = len(out)
        nb = name.encode()
        local_extra = struct.pack("<HHQQ", 1, 16, len(data), len(packed))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(nb), len(local_extra))
        out += nb + local_extra + packed
        extra = struct.pack("<HHQQQ", 1, 24, len(data), len(packed), offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                               len(nb), len(extra), 0, 0, 0, 0, 0xFFFFFFFF)
        central += nb + extra
    cd_offset = len(out)
    out += central
    z64_offset = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(parts), len(parts), len(central), cd_offset)
    out += struct.pack("<IIQI", 0x07064B50, 0, z64_offset, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    open(dst, "wb").write(bytes(out))


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def with_sheet(xml):
    return lambda name, data: xml if name == "xl/worksheets/sheet1.xml" else data


def strict(name, data):
    """Strict OOXML namespaces and relationship types, with absolute relationship targets."""
    data = data.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                        b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    data = data.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                        b"http://purl.oclc.org/ooxml/officeDocument/relationships")
    if name == "xl/_rels/workbook.xml.rels":
        data = data.replace(b'Target="worksheets/', b'Target="/xl/worksheets/')
        data = data.replace(b'Target="sharedStrings.xml"', b'Target="/xl/sharedStrings.xml"')
    if name == "xl/workbook.xml":
        data = data.replace(b"<workbookPr", b'<workbookPr conformance="strict"', 1) if b"<workbookPr" in data else data
    return data


if __name__ == "__main__":
    basic("basic.xlsx")
    basic("inline.xlsx", constant_memory=True)
    date1904("date1904.xlsx")
    rezip("basic.xlsx", "stored-descriptors.xlsx", compression=zipfile.ZIP_STORED, stream=True)
    rezip("basic.xlsx", "deflated-descriptors.xlsx", stream=True)
    zip64("basic.xlsx", "zip64.xlsx")
    rezip("basic.xlsx", "malformed-sheet.xlsx", with_sheet(
        SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ok</t></is></c></row>'
        b'<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></row></sheetData></worksheet>'))
    rezip("basic.xlsx", "bad-shared-index.xlsx", with_sheet(
        SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        b'<row r="3"><c r="B3" t="s"><v>999</v></c></row></sheetData></worksheet>'))
    rezip("basic.xlsx", "doctype.xlsx", with_sheet(
        b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>'))
    bomb = SHEET_HEAD + b"<sheetData>" + b" " * (64 << 20) + b"</sheetData></worksheet>"
    rezip("basic.xlsx", "bomb.xlsx", with_sheet(bomb), level=9)
    rezip("basic.xlsx", "duplicate.xlsx", extra=[("xl/worksheets/sheet1.xml", SHEET_HEAD + b"<sheetData/></worksheet>")])
    rezip("basic.xlsx", "no-refs.xlsx", with_sheet(
        SHEET_HEAD + b'<sheetData><row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row>'
        b'<row><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c><c t="d"><v>2024-01-02T03:04:05</v></c></row>'
        b'<row r="5"><c r="C5" t="inlineStr"><is><r><t>x_x0041_</t></r><r><t xml:space="preserve"> y</t></r>'
        b'<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></is></c></row>'
        b'<row r="6"><c r="A6" t="inlineStr"><is><t><![CDATA[<b>&amp;</b>]]></t></is></c><c r="B6" t="str"><v>t_x0009_ab</v></c></row>'
        b'</sheetData></worksheet>'))
    rezip("basic.xlsx", "not-a-workbook.zip", lambda name, data: None if name == "xl/workbook.xml" else data)
    rezip("basic.xlsx", "strict.xlsx", strict)
    print("done")
