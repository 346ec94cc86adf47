import Testing

@testable import BytebitWebSocket

/// The coalescing delay the C side gets: whole microseconds, never negative, never above 10 ms.
@Suite struct CoalescingDelayTests {
    static func microseconds(_ delay: Duration) throws -> UInt32 {
        WebSocketClientConfiguration(url: try WebSocketURL("wss://127.0.0.1:1/v2"), coalescingDelay: delay)
            .coalescingMicroseconds
    }

    @Test func aDelayWithinTheBoundIsPassedOnInMicroseconds() throws {
        #expect(try Self.microseconds(.milliseconds(2)) == 2_000)
        #expect(try Self.microseconds(.microseconds(750)) == 750)
        #expect(try Self.microseconds(.zero) == 0)
    }

    @Test func aDelayBeyondTenMillisecondsIsCutToTen() throws {
        #expect(try Self.microseconds(.seconds(1)) == 10_000)
        #expect(try Self.microseconds(.milliseconds(11)) == 10_000)
    }

    @Test func aNegativeDelayIsOff() throws {
        #expect(try Self.microseconds(.milliseconds(-3)) == 0)
    }

    @Test func theDefaultIsTheDocumentedTwoMilliseconds() throws {
        let configuration = WebSocketClientConfiguration(url: try WebSocketURL("wss://127.0.0.1:1/v2"))
        #expect(configuration.coalescingDelay == .milliseconds(2))
    }
}
