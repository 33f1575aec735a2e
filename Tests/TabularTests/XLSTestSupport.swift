import Foundation
import Testing
@testable import Tabular

/// Helpers shared by the XLS and compound file tests.
enum XLSTestSupport {
    /// Absolute path of a fixture under Fixtures/xls.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/xls").appendingPathComponent(name).path
    }

    /// The bytes of a file.
    static func bytes(_ path: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path) ?? Data())
    }

    /// Writes bytes to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8], name: String = "damaged.xls") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xls-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Removes a file made by `temporaryFile`, with its folder.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Replaces a file's content in place (no atomic rename, no sync: fast for many mutants).
    static func overwrite(_ path: String, with bytes: [UInt8]) {
        guard let f = fopen(path, "wb") else { return }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    /// Every row of a sheet, as rendered cells keyed by row number.
    static func grid(_ path: String, sheet: Int = 0) throws -> [Int: [String]] {
        let book = try XLSWorkbook(path: path)
        let rows = try book.rows(sheet: sheet)
        var out: [Int: [String]] = [:]
        while let row = try rows.next() {
            #expect(out[row.number] == nil, "row \(row.number) handed out twice")
            out[row.number] = row.cells.map(\.rendered)
        }
        return out
    }

    /// Reads every sheet to its end; returns the number of cells, or the error.
    static func readAll(_ path: String) -> Result<Int, TabularError> {
        do throws(TabularError) {
            let book = try XLSWorkbook(path: path)
            var cells = 0
            for sheet in book.sheets.indices {
                let rows = try book.rows(sheet: sheet)
                while let row = try rows.next() {
                    for cell in row.cells { cells += cell.rendered.isEmpty ? 0 : 1 }
                }
            }
            return .success(cells)
        } catch {
            return .failure(error)
        }
    }

    /// A minimal view of a compound file's layout, to damage chosen bytes of a real file
    /// (the test's own reading of MS-CFB, kept independent of the reader under test).
    struct Layout {
        var bytes: [UInt8]
        var sectorSize: Int
        var fat: [UInt32] = []
        /// File offsets of the FAT entries, parallel to `fat`.
        var fatEntryOffsets: [Int] = []
        var directoryOffset: Int

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            sectorSize = 1 << Int(Self.u16(bytes, 30))
            let fatCount = Int(Self.u32(bytes, 44))
            precondition(fatCount <= 109, "test layout reads only header DIFAT entries")
            for i in 0..<fatCount {
                let sector = Int(Self.u32(bytes, 76 + 4 * i))
                let base = (sector + 1) * sectorSize
                for k in 0..<(sectorSize / 4) {
                    fatEntryOffsets.append(base + 4 * k)
                    fat.append(Self.u32(bytes, base + 4 * k))
                }
            }
            directoryOffset = (Int(Self.u32(bytes, 48)) + 1) * sectorSize
        }

        /// The directory entry offset of a stream named `name` (first directory sector only).
        func entryOffset(_ name: String) -> Int? {
            for i in 0..<(sectorSize / 128) {
                let at = directoryOffset + 128 * i
                let length = Int(Self.u16(bytes, at + 64)) / 2 - 1
                guard length > 0 else { continue }
                let units = (0..<length).map { UInt16(bytes[at + 2 * $0]) | UInt16(bytes[at + 2 * $0 + 1]) << 8 }
                if String(decoding: units, as: UTF16.self) == name { return at }
            }
            return nil
        }

        /// The sectors of the stream whose directory entry is at `entry`.
        func chain(ofEntryAt entry: Int) -> [Int] {
            var s = Self.u32(bytes, entry + 116)
            var out: [Int] = []
            while s < 0xFFFF_FFFA && out.count < fat.count {
                out.append(Int(s))
                s = fat[Int(s)]
            }
            return out
        }

        /// The file offset of byte `offset` of a stream laid out on `chain`.
        func fileOffset(_ offset: Int, chain: [Int]) -> Int {
            (chain[offset / sectorSize] + 1) * sectorSize + offset % sectorSize
        }

        /// The stream's bytes.
        func streamBytes(entry: Int) -> [UInt8] {
            let size = Int(Self.u32(bytes, entry + 120))
            let chain = chain(ofEntryAt: entry)
            return (0..<size).map { bytes[fileOffset($0, chain: chain)] }
        }

        static func u16(_ b: [UInt8], _ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
        static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
            UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
        }
        static func put32(_ b: inout [UInt8], _ o: Int, _ v: UInt32) {
            for k in 0..<4 { b[o + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) }
        }
        static func put16(_ b: inout [UInt8], _ o: Int, _ v: UInt16) {
            b[o] = UInt8(v & 0xFF)
            b[o + 1] = UInt8(v >> 8)
        }
    }

    /// Offsets (in the stream) of every record of a BIFF stream, with type and length.
    static func records(_ stream: [UInt8]) -> [(offset: Int, type: UInt16, length: Int)] {
        var out: [(Int, UInt16, Int)] = []
        var at = 0
        while at + 4 <= stream.count {
            let type = Layout.u16(stream, at)
            let length = Int(Layout.u16(stream, at + 2))
            out.append((at, type, length))
            at += 4 + length
        }
        return out
    }
}
