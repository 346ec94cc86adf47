import Testing

@testable import BytebitCore

/// The cached text is `UTCTimestamp`'s own, byte for byte: within a second, across seconds, days
/// and years, before 1970, and back and forth.
@Suite struct TimestampTextCacheTests {
    private func text(_ timestamp: UTCTimestamp, _ cache: inout TimestampTextCache) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: UTCTimestamp.textLength) { buffer in
            let length = cache.write(timestamp, to: buffer.baseAddress.unsafelyUnwrapped)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<length]), as: UTF8.self)
        }
    }

    private func expected(_ timestamp: UTCTimestamp) -> String {
        var bytes: [UInt8] = []
        timestamp.appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func everyTimestampIsWrittenAsUTCTimestampWritesIt() {
        var cache = TimestampTextCache()
        let edges: [Int64] = [
            0, 1, 999_999, 1_000_000, -1, -999_999, -1_000_000, -1_000_001,
            1_795_000_000_000_000, 1_795_000_000_999_999, 1_795_000_001_000_000, 1_795_046_399_999_999,
            1_795_046_400_000_000, 1_795_000_000_123_456, 951_782_400_000_000, 4_102_444_799_999_999,
        ]
        var generator = SystemRandomNumberGenerator()
        let random = (0..<2_000).map { _ in Int64.random(in: -2_000_000_000_000_000...4_000_000_000_000_000, using: &generator) }
        // In a run of one second, then jumping about: the kept second must follow.
        let run = (0..<50).map { 1_795_000_000_000_000 + Int64($0) * 30_000 }
        for micros in edges + run + random + edges.reversed() {
            let timestamp = UTCTimestamp(microsecondsSince1970: micros)
            #expect(text(timestamp, &cache) == expected(timestamp), "\(micros)")
        }
    }
}
