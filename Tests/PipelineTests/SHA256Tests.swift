import Testing
import Foundation
@testable import Pipeline

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        var h = SHA256()
        h.update(Array(input.utf8))
        #expect(h.finalizeHex() == digest)
    }

    @Test func chunkingDoesNotChangeTheDigest() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var whole = SHA256()
        whole.update(bytes)
        var pieces = SHA256()
        var i = 0
        var step = 1
        while i < bytes.count {
            let end = min(bytes.count, i + step)
            pieces.update(Array(bytes[i..<end]))
            i = end
            step = step % 97 + 13
        }
        #expect(whole.finalizeHex() == pieces.finalizeHex())
    }

    @Test func acceleratedAndPortableAgree() {
        for size in [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 65_537] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ size) }
            var fast = SHA256()
            var slow = SHA256(portable: true)
            fast.update(bytes)
            slow.update(bytes)
            #expect(fast.finalizeHex() == slow.finalizeHex(), "size \(size)")
        }
    }

    @Test func millionAs() {
        var h = SHA256()
        h.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(h.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
