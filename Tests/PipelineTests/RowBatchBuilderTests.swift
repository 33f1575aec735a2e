import Foundation
import Testing
import Tabular
import ContactModel
@testable import Pipeline

/// A CSV's records added from their fields (the reading thread's way) make the same batch as
/// the same records added as rows: the same records with the same digests, the same rejected
/// and flagged rows with the same words, in the same order, and the same counts.
@Suite struct RowBatchBuilderTests {
    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var sampleFiles: [String] {
        let inbox = projectRoot.appendingPathComponent("samples/inbox").path
        let found = FileManager.default.enumerator(atPath: inbox)?.compactMap { $0 as? String } ?? []
        return found.filter { $0.hasSuffix(".csv") }.sorted().map { inbox + "/" + $0 }
    }

    /// Rows of every kind: plain, messy but valid, warned, rejected, blank, ragged, a contact
    /// twice, and a last row in Windows-1252 (not UTF-8, so it comes as a row).
    static var messy: [UInt8] {
        let text = """
            Email,First Name,Last Name,Mobile,Contact Type,Postcode,Hubs,Badges
            ann@x.com,Ann,Lee,0412 345 678,identified,0800,Sydney; Perth,VIP
             Bob@X.com ,  Bob   Roy ,,+61 412 345 678,AUTH, 2000 ,,
            carl@x.com,Carl,,ask reception,,,,
            dee@x.com,Dee,,,bogus,,,
            not an email,Eve,,,,,,
            ,,,,,,,
            zoë@exämple.com,Zoë,Åberg,,,,,
            fay@x.com,Fay,\u{3000}Ng\u{00A0},0412-345-678,\u{00A0}known,3000,"a, b",
            gus@x.com,Gus
            ann@x.com,Ann,Lee-Smith,,,,,"Club; VIP"
            hal@x.com,René,Café,,,,,

            """
        return Array(text.utf8) + Array("ivy@x.com,Caf".utf8) + [0xE9, 0x0A]
    }

    @Test func fieldsAndRowsMakeTheSameBatch() throws {
        let messyPath = NSTemporaryDirectory() + "row-batch-builder-\(UUID().uuidString).csv"
        try Data(Self.messy).write(to: URL(fileURLWithPath: messyPath))
        defer { try? FileManager.default.removeItem(atPath: messyPath) }
        var fromFields = 0
        var packed = 0
        for path in Self.sampleFiles + [messyPath] {
            let table = try CSVTable(path: path)
            let raw = try #require(try table.rows(sheet: 0) as? any RawRecordSource)
            #expect(try raw.advance(), "\(path) has a header")
            let mapping = try HeaderMapping(header: raw.currentRow().cells.map(\.rendered))
            let normaliser = RowNormaliser(mapping: mapping, region: PhoneNumber.Region.known["AU"]!, fileLists: ["Spring"])
            var records = RawRecordBatch()
            _ = try Importer.readRecords(from: raw, normaliser: normaliser, into: &records)
            #expect(records.count > 3, "\(path) has rows")

            var byFields = RowBatchBuilder(normaliser: normaliser, known: nil, held: nil)
            var byRows = RowBatchBuilder(normaliser: normaliser, known: nil, held: nil)
            for index in 0..<records.count {
                let a = try byFields.add(records, at: index)
                let b = try byRows.add(records.row(index), digest: records.digest(index))
                #expect(a == b, "row \(index) of \(path)")
                // A record the fields path could take: proves the test covers it.
                var probe: [ContactRecord] = []
                if records.withFields(index, { fields, number, _ in normaliser.normalise(fields: fields, number: number, into: &probe) }) == true {
                    fromFields += 1
                }
            }
            let x = byFields.take()
            let y = byRows.take()
            // Packed or built, the records read back the same.
            #expect(x.records.allRecords == y.records.allRecords, "\(path)")
            #expect(y.records.packedCount == 0)
            packed += x.records.packedCount
            #expect(x.issues.map(\.issue) == y.issues.map(\.issue), "\(path)")
            #expect(x.issues.map(\.row) == y.issues.map(\.row), "\(path)")
            #expect(x.blank == y.blank && x.rowsRead == y.rowsRead, "\(path)")
        }
        #expect(fromFields > 10, "the fields path took \(fromFields) rows")
        #expect(packed > 10 && packed < fromFields, "\(packed) of the \(fromFields) rows of the fields path were packed")
    }

    /// An XLSX sheet's records are its cells' rendered text: added from their fields they make
    /// the same records, flagged and rejected rows as the sheet's typed rows (numbers, dates,
    /// booleans) do, since a contact is made from what its cells render to.
    @Test func workbookFieldsAndTypedRowsMakeTheSameBatch() throws {
        let path = Self.projectRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/contacts.xlsx").path
        let book = try XLSXWorkbook(path: path)
        let sheet = try #require(book.sheets.firstIndex { $0.name == "Contacts" })
        let raw = try #require(try book.rows(sheet: sheet) as? any RawRecordSource)
        let typed = try XLSXWorkbook(path: path).rows(sheet: sheet)
        #expect(try raw.advance())
        let header = try #require(try typed.next())
        let mapping = try HeaderMapping(header: header.cells.map(\.rendered))
        let normaliser = RowNormaliser(mapping: mapping, region: PhoneNumber.Region.known["AU"]!)
        var records = RawRecordBatch()
        _ = try Importer.readRecords(from: raw, normaliser: normaliser, into: &records)
        var byFields = RowBatchBuilder(normaliser: normaliser, known: nil, held: nil)
        var byRows = RowBatchBuilder(normaliser: normaliser, known: nil, held: nil)
        var kinds = Set<String>()
        for index in 0..<records.count {
            let row = try #require(try typed.next())
            for cell in row.cells { kinds.insert("\(cell)".prefix { $0 != "(" }.description) }
            let a = try byFields.add(records, at: index)
            let b = try byRows.add(row, digest: records.digest(index))
            #expect(a == b, "row \(row.number)")
        }
        #expect(try typed.next() == nil)
        #expect(kinds.isSuperset(of: ["text", "number", "date", "bool"]), "the sheet has typed cells: \(kinds)")
        let x = byFields.take()
        let y = byRows.take()
        #expect(x.records.count >= 3)
        #expect(x.records.allRecords == y.records.allRecords)
        #expect(x.records.packedCount > 0)
        #expect(x.issues.map(\.issue) == y.issues.map(\.issue))
        #expect(x.issues.map { $0.row.cells.map(\.rendered) } == y.issues.map { $0.row.cells.map(\.rendered) })
        #expect(x.blank == y.blank && x.rowsRead == y.rowsRead)
    }
}
