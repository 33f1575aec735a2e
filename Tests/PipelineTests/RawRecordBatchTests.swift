import Testing
import Tabular
import ContactModel
@testable import Pipeline

/// The records a CSV re-import's reading thread hands over: each comes back as the same
/// fields, row, number, line and digest, whether it was given as bytes or as a row.
@Suite struct RawRecordBatchTests {
    @Test func recordsComeBackAsTheyWereGiven() {
        var batch = RawRecordBatch()
        let records: [[String]] = [["a@x.com", "Ann", ""], [], ["", "", "Zoë 日本"], ["b@x.com"]]
        let built = Row(number: 9, line: 12, cells: [.text("caf\u{E9}"), .text("1252")])
        for (index, fields) in records.enumerated() {
            RecordBytes.withFields(fields) { batch.append($0, number: index + 2, line: index + 3, digest: RowDigest(high: UInt64(index), low: 1)) }
            if index == 1 { batch.append(built, digest: RowDigest(high: 99, low: 2)) }
        }
        #expect(batch.count == 5)
        var positions: [Int] = []
        for index in 0..<batch.count {
            let fields = batch.withFields(index) { fields, number, line in
                positions.append(number)
                #expect(line == number + 1)
                return (0..<fields.count).map { String(decoding: fields[$0], as: UTF8.self) }
            }
            if index == 2 {
                #expect(fields == nil, "a row the reader built has no fields")
                #expect(batch.row(index) == built)
                #expect(batch.digest(index) == RowDigest(high: 99, low: 2))
                continue
            }
            let given = records[index < 2 ? index : index - 1]
            #expect(fields == given)
            #expect(batch.row(index) == Row(number: positions.last!, line: positions.last! + 1, cells: given.map { .text($0) }))
        }
        #expect(positions == [2, 3, 4, 5])
        batch.removeAll()
        #expect(batch.count == 0)
        RecordBytes.withFields(["c@x.com"]) { batch.append($0, number: 7, line: 7, digest: RowDigest(high: 0, low: 0)) }
        #expect(batch.row(0) == Row(number: 7, line: 7, cells: [.text("c@x.com")]), "no row built before survives")
    }
}
