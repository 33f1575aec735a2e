import Testing
@testable import ContactStore

/// A failed SQLite call says what to do about its kind of failure.
@Suite struct StoreErrorTests {
    static func text(_ code: Int32) -> String {
        StoreError.sqlite(code: code, message: "m", context: "saving").description
    }

    @Test func eachKindOfFailureGetsItsOwnAdvice() {
        #expect(Self.text(13).contains("the disk holding the store is full"))
        #expect(Self.text(8).contains("the store cannot be written: check the permissions"))
        #expect(Self.text(10 | 3 << 8).contains("reading or writing the store's file failed"), "extended codes go by their primary code")
        #expect(Self.text(11).contains("damaged or is not a contact store"))
        #expect(Self.text(26).contains("damaged or is not a contact store"))
        #expect(Self.text(19 | 6 << 8).contains("a bug in contacts: please report it"))
        #expect(Self.text(5).contains("was busy while saving"))
        #expect(Self.text(1).contains("check disk space and permissions"))
        for code: Int32 in [1, 8, 10, 11, 13, 19, 26] {
            #expect(Self.text(code).hasPrefix("The contact store failed while saving: m (SQLite code \(code))."))
            #expect(Self.text(code).contains("Nothing of this step was saved"))
        }
    }
}
