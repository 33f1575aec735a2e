import Testing
@testable import ContactStore

@Suite struct NewContactIndexTests {
    @Test func numbersContactsFromTheFirstIdAndKeepsTheirFingerprints() {
        var index = NewContactIndex(firstId: 501)
        #expect(index.insert(emailHash: 10, fingerprint: 100) == 501)
        #expect(index.insert(emailHash: 20, fingerprint: 200) == 502)
        index.setFingerprint(201, of: 502)
        #expect(index.fingerprint(of: 501) == 100 && index.fingerprint(of: 502) == 201)
        #expect(index.contains(id: 501) && index.contains(id: 502))
        #expect(!index.contains(id: 500) && !index.contains(id: 503))
        #expect(index.count == 2)
    }

    @Test func equalHashesAreTellApartByTheConfirmation() {
        var index = NewContactIndex(firstId: 1)
        // Three contacts whose email hashes collide (top 32 bits), and one in the same slots.
        let colliding: UInt64 = 7 << 32 | 5
        let a = index.insert(emailHash: colliding, fingerprint: 1)
        let b = index.insert(emailHash: colliding, fingerprint: 2)
        let other = index.insert(emailHash: 8 << 32 | 5, fingerprint: 3)
        let c = index.insert(emailHash: colliding, fingerprint: 4)
        var asked: [Int] = []
        let found = index.first(emailHash: colliding) { id in
            asked.append(id)
            return index.fingerprint(of: id) == 4
        }
        #expect(found == c)
        #expect(asked == [a, b, c], "only contacts with the same hash are offered, in insertion order")
        #expect(!asked.contains(other))
        #expect(index.first(emailHash: colliding) { _ in false } == nil)
        #expect(index.first(emailHash: 9 << 32) { _ in true } == nil)
    }

    @Test func growingKeepsEveryContactFindable() {
        var index = NewContactIndex(firstId: 1)
        var hashes: [UInt64] = []
        var state = StableHash(seed: 3)
        for n in 0..<50_000 {
            state.combine(UInt64(n))
            let hash = n % 97 == 0 ? hashes.last ?? state.value : state.value
            hashes.append(hash)
            _ = index.insert(emailHash: hash, fingerprint: UInt64(n))
        }
        for (n, hash) in hashes.enumerated() where n % 7 == 0 {
            #expect(index.first(emailHash: hash) { index.fingerprint(of: $0) == UInt64(n) } == n + 1)
        }
    }
}
