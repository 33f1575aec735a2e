import Foundation
import Testing

/// A dry run of several files must report exactly what the real import of the same files
/// then does, and leave the store's file byte for byte as it was: checked on random inboxes
/// (repeated and changed contacts, bad emails and mobiles, copies, broken files).
@Suite struct DryRunDifferentialTests {
    /// A seeded generator (a 64-bit LCG, high bits used), so a failure can be replayed.
    struct Seeded {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
    }

    static func file(_ rng: inout Seeded) -> Data {
        var lines = ["Email,First Name,Mobile,Colour,Contact Type"]
        for _ in 0..<rng.next(12) {
            let email = rng.next(10) < 9 ? rng.pick(["ann", "bob", "cy", "dee", "eve", "fay"]) + "@x.com"
                : rng.pick(["bad", "", " ANN@X.com ", "mailto:bob@x.com"])
            lines.append([email, rng.pick(["A", "B", "", "Zed"]), rng.pick(["0412 345 678", "", "call me", "+61 400 000 000"]),
                          rng.pick(["Red", "Blue", "", "\"q,uote\""]), rng.pick(["Authenticated", "Identified", "", "Anonymous"])]
                .joined(separator: ","))
        }
        var data = Data((lines.joined(separator: "\n") + "\n").utf8)
        switch rng.next(20) {
        case 0, 1: data = data.prefix(rng.next(data.count + 1)) + Data("x,\"unterminated".utf8)
        case 2: data = Data([0, 1, 2, 0x67])
        default: break
        }
        return data
    }

    /// Each file's status and counts, from `--format json`.
    static func counts(_ outcome: CLIHarness.Outcome, dry: Bool) throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        return (json?["imports"] as? [[String: Any]] ?? []).map { i in
            let status = (i["status"] as? String) == (dry ? "dry-run" : "imported") ? "read" : "\(i["status"] ?? "")"
            return "\(i["file"] ?? "") \(status) \(i["created"] ?? "") \(i["updated"] ?? "") \(i["unchanged"] ?? "") \(i["rejected"] ?? "")"
        }
    }

    @Test func aDryRunReportsWhatTheImportThenDoes() throws {
        var rng = Seeded(state: 20_261_207)
        for round in 0..<25 {
            let cli = try CLIHarness()
            try cli.write("pre.csv", Self.file(&rng))
            _ = try cli.run(["import", "pre.csv"])
            var files: [String] = []
            for index in 0..<(2 + rng.next(3)) {
                let name = "f\(index).csv"
                if let last = files.last, rng.next(5) == 0 {
                    try cli.write(name, try Data(contentsOf: URL(fileURLWithPath: cli.path(last))))
                } else {
                    try cli.write(name, Self.file(&rng))
                }
                files.append(name)
            }
            let database = cli.path("var/store/contacts.sqlite")
            let before = try Data(contentsOf: URL(fileURLWithPath: database))
            let dry = try cli.run(["import", "--dry-run", "--format", "json"] + files)
            #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before, "round \(round): the dry run changed the store")
            let real = try cli.run(["import", "--format", "json"] + files)
            #expect(dry.status == real.status, "round \(round)")
            #expect(try Self.counts(dry, dry: true) == (try Self.counts(real, dry: false)), "round \(round)")
        }
    }
}
