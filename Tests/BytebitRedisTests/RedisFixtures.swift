import BytebitCore
@testable import BytebitRedis
import BytebitTestSupport
import Foundation
import Logging

/// Records for the Redis tests: book tops, trades and ledger rows with distinct exact values.
enum RedisFixtures {
    static let start: Int64 = 1_787_757_360_000_000

    static func book(_ index: Int) -> VerifiedBookTop {
        let bids = [PriceLevel(price: ExactDecimal("67321.\(index % 10)")!, qty: ExactDecimal("0.\(index)0000000")!)]
        let asks = [PriceLevel(price: ExactDecimal("67322.\(index % 10)")!, qty: ExactDecimal("1.20000000")!)]
        let at = UTCTimestamp(microsecondsSince1970: start + Int64(index) * 1_000)
        return VerifiedBookTop(timestamp: at, receivedAt: at, bids: bids[...], asks: asks[...], checksum: UInt32(index))
    }

    static func trade(_ index: Int) -> TradeRecord {
        let at = UTCTimestamp(microsecondsSince1970: start + Int64(index) * 1_000)
        return TradeRecord(timestamp: at, receivedAt: at, tradeID: UInt64(index), side: index % 2 == 0 ? "buy" : "sell",
                           price: ExactDecimal("67321.\(index)")!, qty: ExactDecimal("0.01000000")!, orderType: "limit")
    }

    static func event(_ index: Int) -> LedgerRecord {
        LedgerRecord(timestamp: UTCTimestamp(microsecondsSince1970: start + Int64(index)), event: .snapshot, detail: "n \(index)")
    }

    static func settings(_ endpoint: RedisEndpoint) -> RedisPublisher.Settings {
        var settings = RedisPublisher.Settings(endpoint: endpoint)
        settings.ioTimeout = .milliseconds(500)
        return settings
    }

    /// Waits up to `timeout` for `condition`, checking every 10 ms.
    static func eventually(_ timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return condition()
    }
}
