import Testing
@testable import Pipeline

@Suite struct FileNameTests {
    @Test func aShortNameIsLeftAsItIs() {
        #expect(FileName.fitted("March entries.csv", leaving: 20) == "March entries.csv")
    }

    @Test func aLongNameKeepsItsExtensionAndRoomForTheSuffix() {
        let name = String(repeating: "a", count: 250) + ".xlsx"
        let fitted = FileName.fitted(name, leaving: FileName.archiveSuffixes)
        #expect(fitted.hasSuffix("a~.xlsx"))
        #expect(fitted.utf8.count + FileName.archiveSuffixes == FileName.maximumBytes)
    }

    @Test func aLongNameIsCutBetweenCharactersNotInsideOne() {
        // é is two bytes, 日 three: a cut by bytes would split one.
        let name = String(repeating: "é日", count: 60) + ".csv"
        let fitted = FileName.fitted(name, leaving: 30)
        #expect(fitted.utf8.count <= FileName.maximumBytes - 30)
        #expect(fitted.hasSuffix("~.csv"))
        #expect(fitted.unicodeScalars.allSatisfy { $0 != "\u{FFFD}" })
        #expect(name.hasPrefix(String(fitted.dropLast("~.csv".count))))
    }

    @Test func aNameWithoutAnExtensionIsCutToo() {
        let fitted = FileName.fitted(String(repeating: "x", count: 300), leaving: 12)
        #expect(fitted.utf8.count == FileName.maximumBytes - 12)
        #expect(fitted.hasSuffix("x~"))
    }
}
