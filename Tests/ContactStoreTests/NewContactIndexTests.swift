import Testing
@testable import ContactStore

@Suite struct NewContactIndexTests {
    @Test func numbersContactsFromTheFirstId() {
        var index = NewContactIndex(firstId: 501)
        #expect(index.insert(emailHash: 10, emailCheck: 1) == 501)
        #expect(index.insert(emailHash: 20, emailCheck: 2) == 502)
        #expect(index.contact(emailHash: 20, emailCheck: 2) == 502 && index.contact(emailHash: 10, emailCheck: 1) == 501)
        #expect(index.contains(id: 501) && index.contains(id: 502))
        #expect(!index.contains(id: 500) && !index.contains(id: 503))
        #expect(index.count == 2)
    }

    @Test func equalPlacingHashesAreToldApartByTheCheck() {
        var index = NewContactIndex(firstId: 1)
        // Three contacts whose placing hashes collide (top 32 bits), and one in the same slots.
        let colliding: UInt64 = 7 << 32 | 5
        let a = index.insert(emailHash: colliding, emailCheck: 11)
        let b = index.insert(emailHash: colliding, emailCheck: 12)
        let other = index.insert(emailHash: 8 << 32 | 5, emailCheck: 13)
        let c = index.insert(emailHash: colliding, emailCheck: 14)
        #expect(index.contact(emailHash: colliding, emailCheck: 11) == a)
        #expect(index.contact(emailHash: colliding, emailCheck: 12) == b)
        #expect(index.contact(emailHash: colliding, emailCheck: 14) == c)
        #expect(index.contact(emailHash: 8 << 32 | 5, emailCheck: 13) == other)
        #expect(index.contact(emailHash: colliding, emailCheck: 13) == nil, "same slots, other placing hash")
        #expect(index.contact(emailHash: colliding, emailCheck: 15) == nil)
        #expect(index.contact(emailHash: 9 << 32, emailCheck: 11) == nil)
    }

    @Test func theTwoHashesOfAnEmailDiffer() {
        let emails = ["a@example.com", "b@example.com", "a.anderson216@yahoo.com.au", ""]
        var checks = Set<UInt64>()
        for email in emails {
            Array(email.utf8).withUnsafeBytes { bytes in
                let hashes = NewContactIndex.hashes(email: bytes)
                #expect(hashes.hash != hashes.check)
                checks.insert(hashes.check)
            }
        }
        #expect(checks.count == emails.count)
    }

    @Test func growingKeepsEveryContactFindable() {
        var index = NewContactIndex(firstId: 1)
        var hashes: [UInt64] = []
        var state = StableHash(seed: 3)
        for n in 0..<50_000 {
            state.combine(UInt64(n))
            let hash = n % 97 == 0 ? hashes.last ?? state.value : state.value
            hashes.append(hash)
            _ = index.insert(emailHash: hash, emailCheck: UInt64(n) &* 0x9E37_79B9)
        }
        for (n, hash) in hashes.enumerated() where n % 7 == 0 {
            #expect(index.contact(emailHash: hash, emailCheck: UInt64(n) &* 0x9E37_79B9) == n + 1)
        }
    }
}
