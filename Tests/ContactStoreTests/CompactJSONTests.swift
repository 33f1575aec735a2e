import Foundation
import Testing
@testable import ContactStore

@Suite struct CompactJSONTests {
    /// Every byte value, at every position of a 1- to 19-byte value (so in a whole 8-byte word
    /// and in the tail), is escaped exactly when JSON needs it: the 8-byte check agrees with
    /// the byte-by-byte rule, and the output decodes back to the same text.
    @Test func escapesExactlyTheBytesJSONNeeds() throws {
        for length in 1...19 {
            for position in 0..<length {
                for byte in UInt8(0)...UInt8(0x7F) {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = byte
                    let expected = byte < 0x20 || byte == 0x22 || byte == 0x5C
                    let found = bytes.withUnsafeBufferPointer { CompactJSON.needsEscape($0) }
                    #expect(found == expected, "byte \(byte) at \(position) of \(length)")
                    if found != expected { return }
                }
            }
        }
        let arena = ByteArena(capacity: 64)
        let text = "tab\there \"quoted\" back\\slash\u{1}end, caf\u{E9}"
        CompactJSON.appendString(text, to: arena)
        let json = Data(UnsafeBufferPointer(start: arena.base, count: arena.count))
        #expect(try JSONDecoder().decode(String.self, from: json) == text)
    }

    /// Bytes at and above 0x80 (UTF-8 beyond ASCII) never need escaping, whatever is next to them.
    @Test func leavesNonASCIIBytesAlone() {
        for byte in UInt8(0x80)...UInt8(0xFF) {
            let bytes = [UInt8](repeating: byte, count: 11)
            #expect(!bytes.withUnsafeBufferPointer { CompactJSON.needsEscape($0) })
        }
        let mixed: [UInt8] = [0xE2, 0x80, 0x9C, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0xFF, 0x20, 0x5C]
        #expect(mixed.withUnsafeBufferPointer { CompactJSON.needsEscape($0) }, "the backslash in the tail")
        // Each byte that needs escaping, among neighbours that do not (high bytes, and the
        // values either side of the ones looked for), at each place in a word.
        for filler: UInt8 in [0x80, 0xFF, 0x7F, 0x20, 0x21, 0x23, 0x5B, 0x5D] {
            let plain = [UInt8](repeating: filler, count: 8)
            #expect(!plain.withUnsafeBufferPointer { CompactJSON.needsEscape($0) }, "filler \(filler)")
            for target: UInt8 in [0x00, 0x0A, 0x1F, 0x22, 0x5C] {
                for position in 0..<8 {
                    var word = plain
                    word[position] = target
                    #expect(word.withUnsafeBufferPointer { CompactJSON.needsEscape($0) }, "\(target) at \(position) among \(filler)")
                }
            }
        }
    }
}
