import Testing
import Foundation
@testable import Pipeline

/// A class so each test's folder goes with it (`deinit`).
@Suite final class PipelineConfigTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    func write(_ text: String) throws -> String {
        let dir = root.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("pipeline.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func relativePathsResolveAgainstTheConfigFolder() throws {
        let path = try write(#"{"inbox": "in", "store": "/abs/store", "region": "nz", "settleSeconds": 0, "headers": {"Correo": "email"}}"#)
        let config = try PipelineConfig.load(path: path, explicit: true)
        let base = (path as NSString).deletingLastPathComponent
        #expect(config.inbox == base + "/in")
        #expect(config.store == "/abs/store")
        #expect(config.outbox == base + "/var/outbox")
        #expect(config.region.code == "NZ")
        #expect(config.settleSeconds == 0)
        #expect(config.headers == ["Correo": "email"])
        #expect(config.exports == [ExportProfile.standard])
    }

    @Test func unknownSettingsAreRefusedWithAHint() throws {
        let path = try write(#"{"Inbox": "in"}"#)
        #expect { try PipelineConfig.load(path: path, explicit: true) } throws: { error in
            "\(error)".contains("unknown setting \"Inbox\". Did you mean \"inbox\"?")
        }
    }

    @Test func badJSONAndBadValuesAreConfigErrors() throws {
        for text in [#"{"inbox": "#, #"[1,2]"#, #"{"region": "XX"}"#, #"{"settleSeconds": -1}"#,
                     #"{"exports": [{"name": "a b"}]}"#, #"{"exports": [{"name": "a"}, {"name": "a"}]}"#] {
            let path = try write(text)
            #expect(throws: PipelineError.self) { try PipelineConfig.load(path: path, explicit: true) }
        }
    }

    @Test func missingFileIsAnErrorOnlyWhenNamed() throws {
        #expect(throws: PipelineError.self) { try PipelineConfig.load(path: "/nonexistent/pipeline.json", explicit: true) }
        let config = try PipelineConfig.load(path: "/nonexistent/pipeline.json", explicit: false)
        #expect(config.region.code == "AU")
    }
}
