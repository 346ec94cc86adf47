import Foundation

/// Raw frames of Tests/BytebitCoreTests/Fixtures/live-frames.json (real Kraken text), by id.
enum LiveFrameFixtures {
    static func raw(_ id: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BytebitCoreTests/Fixtures/live-frames.json")
        let data = try Data(contentsOf: url)
        guard let frames = try JSONSerialization.jsonObject(with: data) as? [[String: Any]],
              let frame = frames.first(where: { $0["id"] as? String == id }), let raw = frame["raw"] as? String
        else { throw FixtureError.missing(id) }
        return raw.trimmingCharacters(in: .whitespaces)
    }

    enum FixtureError: Error {
        case missing(String)
    }
}
