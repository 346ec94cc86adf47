import Foundation
import Testing

@testable import BytebitCore

/// Loads the real Kraken data in Fixtures/ (see Fixtures/README.md for sources).
enum KrakenFixture {
    static func url(_ name: String) throws -> URL {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent(name)
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }

    /// The `raw` frame texts of a file shaped `[{id, raw}]` or `{vectors: [{id, raw}]}`, by id.
    static func rawFrames(_ name: String) throws -> [String: String] {
        let json = try JSONSerialization.jsonObject(with: data(name))
        let entries = (json as? [[String: Any]]) ?? ((json as? [String: Any])?["vectors"] as? [[String: Any]]) ?? []
        var frames: [String: String] = [:]
        for entry in entries {
            if let id = entry["id"] as? String, let raw = entry["raw"] as? String { frames[id] = raw }
        }
        return frames
    }

    static func liveFrame(_ id: String) throws -> String {
        try #require(try rawFrames("live-frames.json")[id], "no frame \(id) in live-frames.json")
    }

    static func docVector(_ id: String) throws -> String {
        try #require(try rawFrames("kraken-doc-vectors.json")[id], "no vector \(id) in kraken-doc-vectors.json")
    }

    /// The byte text of each value of the top-level keys `init` and `updates[]` of the
    /// python-kraken-sdk fixture, sliced from the file itself (re-serialising would reformat numbers).
    static func pythonSDKMessages() throws -> (snapshot: [UInt8], updates: [[UInt8]]) {
        let bytes = [UInt8](try data("python-kraken-sdk_orderbook-v2.json"))
        return try bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            var snapshot: [UInt8] = []
            var updates: [[UInt8]] = []
            func slice(_ scanner: inout JSONScanner) throws -> [UInt8] {
                _ = try scanner.peek()
                let start = scanner.offset
                try scanner.skipValue()
                return Array(buffer[start..<scanner.offset])
            }
            try scanner.beginObject(key: "fixture")
            var isFirst = true
            while let key = try scanner.nextKey(isFirst: &isFirst) {
                if scanner.matches(key, "init") {
                    snapshot = try slice(&scanner)
                } else if scanner.matches(key, "updates") {
                    try scanner.beginArray(key: "updates")
                    var isFirstUpdate = true
                    while try scanner.nextElement(isFirst: &isFirstUpdate) {
                        updates.append(try slice(&scanner))
                    }
                } else {
                    try scanner.skipValue()
                }
            }
            return (snapshot, updates)
        }
    }
}

@Suite struct KrakenFixtureTests {
    @Test func slicesEveryMessageOfThePythonSDKFixture() throws {
        let messages = try KrakenFixture.pythonSDKMessages()
        #expect(messages.updates.count == 509)
        #expect(messages.snapshot.first == UInt8(ascii: "{") && messages.snapshot.last == UInt8(ascii: "}"))
    }
}
