import Testing
@testable import Tabular

@Suite struct CellRenderingTests {
    @Test(arguments: [
        (15.0, "15"), (-3.0, "-3"), (3003126885.0, "3003126885"), (0.3, "0.3"),
        (1.6900000000000002, "1.6900000000000002"), (1.23456789e22, "1.23456789e+22"),
        (1e16, "1e+16"), (0.0001, "0.0001"), (0.00001, "1e-05"), (41333.5, "41333.5"),
        (123456789012345.6, "123456789012345.6"), (-0.5, "-0.5"), (412345678.0, "412345678"),
        (1.5e-10, "1.5e-10"), (2.5e16, "2.5e+16"), (0.1 + 0.2, "0.30000000000000004"), (1e15 + 0.5, "1000000000000000.5"),
        (9.999e15, "9999000000000000"), (1e22, "1e+22"), (-1.5e-7, "-1.5e-07"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.00012, "0.00012"), (Double.leastNonzeroMagnitude, "5e-324"),
    ])
    func numbersRenderAsPythonRepr(value: Double, expected: String) {
        #expect(Cell.number(value).rendered == expected)
    }

    @Test func datesFollowTheCorpusConvention() {
        #expect(Cell.date(ExcelDate(serial: 1)).rendered == "1900-01-01")
        #expect(Cell.date(ExcelDate(serial: 1000000)).rendered == "4637-11-26")
        #expect(Cell.date(ExcelDate(serial: 41333.5)).rendered == "2013-02-28T12:00:00")
        #expect(Cell.date(ExcelDate(serial: 1.5)).rendered == "1900-01-01T12:00:00")
        #expect(Cell.date(ExcelDate(serial: 0.5)).rendered == "12:00:00")
        #expect(Cell.date(ExcelDate(serial: 1, is1904: true)).rendered == "1904-01-02")
        #expect(Cell.date(ExcelDate(serial: 10.6320601851852, kind: .elapsed)).rendered == "255:10:10")
        #expect(Cell.date(ExcelDate(serial: 1.5, kind: .elapsed)).rendered == "36:00:00")
        #expect(Cell.date(ExcelDate(serial: 44197)).rendered == "2021-01-01")
        #expect(Cell.date(ExcelDate(serial: 2_958_465)).rendered == "9999-12-31")
        #expect(Cell.date(ExcelDate(serial: 1e12)).rendered == "1000000000000")
        #expect(Cell.date(ExcelDate(serial: .nan)).rendered == "nan")
    }

    @Test func columnLettersRoundTrip() {
        #expect(ColumnName.letters(0) == "A")
        #expect(ColumnName.letters(25) == "Z")
        #expect(ColumnName.letters(26) == "AA")
        #expect(ColumnName.letters(16383) == "XFD")
        #expect(ColumnName.parseReference("XFD1048576")! == (16383, 1048576))
        #expect(ColumnName.parseReference("b12")! == (1, 12))
        #expect(ColumnName.parseReference("12B") == nil)
    }
}
