import Testing
@testable import Tabular

@Suite struct XLSDateFormatTests {
    @Test(arguments: [
        ("yyyy-mm-dd", ExcelDate.Kind.dateTime), ("d-mmm-yy", .dateTime), ("h:mm AM/PM", .dateTime),
        ("[$-409]mmmm d, yyyy", .dateTime), ("[Red]dd.mm.yyyy;[Blue]@", .dateTime), ("mm:ss", .dateTime),
        ("DD/MM/YYYY hh:mm", .dateTime), ("\"at \"hh:mm", .dateTime), ("A/P h", .dateTime),
        ("[h]:mm:ss", .elapsed), ("[mm]:ss", .elapsed), ("[ss].0", .elapsed), ("[HH]:MM", .elapsed),
    ])
    func dateFormats(format: String, kind: ExcelDate.Kind) {
        #expect(XLSDateFormat.classify(format) == kind, "\(format)")
    }

    @Test(arguments: [
        "General", "0.00", "#,##0", "\"day \"0.00", "0.0\\h", "[Red]0.00", "[>100]0;[<=100]yyyy",
        "0_m", "0*s", "@", "0.00E+00", "Standard", "# ##0,00 \"руб.\"", "[$€-2] #,##0.00", "",
    ])
    func plainFormats(format: String) {
        #expect(XLSDateFormat.classify(format) == nil, "\(format)")
    }

    @Test func builtInFormats() {
        for id in 14...22 { #expect(XLSDateFormat.builtIn(id) == .dateTime) }
        #expect(XLSDateFormat.builtIn(45) == .dateTime)
        #expect(XLSDateFormat.builtIn(46) == .elapsed)
        #expect(XLSDateFormat.builtIn(47) == .dateTime)
        for id in [0, 1, 2, 9, 10, 11, 12, 13, 23, 37, 44, 48, 49, 164] { #expect(XLSDateFormat.builtIn(id) == nil) }
    }

    @Test func rkNumbers() {
        #expect(XLSSheetRows.rk(0x3FF0_0000) == 1.0)            // IEEE top half of 1.0
        #expect(XLSSheetRows.rk(0x3FF0_0001) == 0.01)           // ... divided by 100
        #expect(XLSSheetRows.rk(UInt32(15 << 2) | 2) == 15)     // 30-bit integer
        #expect(XLSSheetRows.rk(UInt32(bitPattern: -3 << 2) | 2) == -3)
        #expect(XLSSheetRows.rk(UInt32(12345 << 2) | 3) == 123.45)
    }

    @Test func codePages() {
        let cyrillic: [UInt8] = [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2] // "Привет" in 1251
        #expect(cyrillic.withUnsafeBytes { XLSCodePage(1251).decode($0) } == "Привет")
        let roman: [UInt8] = [0x8E, 0x74, 0xE9] // "étÈ" in Mac Roman
        #expect(roman.withUnsafeBytes { XLSCodePage(10000).decode($0) } == "ét\u{00C8}")
        #expect([UInt8]([0x80]).withUnsafeBytes { XLSCodePage(1252).decode($0) } == "€")
        #expect([UInt8]([0x41, 0x80]).withUnsafeBytes { XLSCodePage(4242).decode($0) } == "A€", "unknown → 1252")
        for page in [437, 850, 874, 1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258, 10000, 10007] {
            #expect(XLSCodePage.upperHalf(page).map { Array($0.unicodeScalars).count } == 128, "\(page)")
        }
    }
}
