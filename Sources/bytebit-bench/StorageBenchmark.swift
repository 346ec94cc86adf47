import BytebitCore
import Foundation
import Logging

/// Prints figures for the storage hot path: formatting order book rows into a `RowBatch` (on the
/// WebSocket thread in production) and the `RecordWriter`'s end-to-end throughput into a temp folder.
func runStorageBenchmark(rows: Int = 200_000, levels: Int = 25, logger: Logger = Logger(label: "bytebit.bench")) {
    let bids = (0..<levels).map {
        PriceLevel(price: ExactDecimal(units: 6_732_110 - Int64($0), scale: 1), qty: ExactDecimal(units: 12_345_678, scale: 8))
    }
    let asks = (0..<levels).map {
        PriceLevel(price: ExactDecimal(units: 6_732_120 + Int64($0), scale: 1), qty: ExactDecimal(units: 87_654_321, scale: 8))
    }
    let start = UTCTimestamp(microsecondsSince1970: 1_795_000_000_000_000)
    let clock = ContinuousClock()

    var batch = RowBatch(orderBookLevels: levels)
    var bytes = 0
    let formatting = clock.measure {
        for index in 0..<rows {
            let time = UTCTimestamp(microsecondsSince1970: start.microseconds + Int64(index) * 1_000)
            batch.appendOrderBook(timestamp: time, receivedAt: time, bids: bids[...], asks: asks[...])
            if batch.rowCount == 1_000 {
                bytes += batch.byteCount
                batch.removeAll()
            }
        }
    }
    let formatSeconds = seconds(formatting)
    print("storage: format \(rows) rows × \(levels) levels: \(Int(formatSeconds * 1e9 / Double(rows))) ns/row, "
        + "\(Int(Double(bytes) / formatSeconds / 1e6)) MB/s")

    let folder = NSTemporaryDirectory() + "/bytebit-bench-storage-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let writer = RecordWriter(
        settings: .init(dataDirectory: folder, pair: "BTC-USD", orderBookLevels: levels, compressesFinishedDays: false),
        logger: logger)
    batch.removeAll()
    let writing = clock.measure {
        for index in 0..<rows {
            let time = UTCTimestamp(microsecondsSince1970: start.microseconds + Int64(index) * 1_000)
            batch.appendOrderBook(timestamp: time, receivedAt: time, bids: bids[...], asks: asks[...])
            if batch.rowCount == 10 { writer.submit(&batch) }
        }
        writer.submit(&batch)
        writer.flush()
    }
    writer.close()
    let writeSeconds = seconds(writing)
    print("storage: write \(rows) rows through RecordWriter: \(Int(Double(rows) / writeSeconds)) rows/s, "
        + "dropped \(writer.counters.rowsDropped)")
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
