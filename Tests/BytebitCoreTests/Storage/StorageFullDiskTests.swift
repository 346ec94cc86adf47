import Foundation
import Testing
@testable import BytebitCore

/// A real full disk: a 64 KiB tmpfs. Needs root and permission to mount (true in CI containers run as
/// root with CAP_SYS_ADMIN); skipped with a message otherwise.
@Suite struct StorageFullDiskTests {
    static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func mountTinyDisk(at path: String) -> Bool {
        run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", path])
    }

    static let canMountTmpfs: Bool = {
        guard let scratch = try? StorageScratch() else { return false }
        defer { scratch.remove() }
        guard mountTinyDisk(at: scratch.path) else { return false }
        return run("/usr/bin/umount", [scratch.path])
    }()

    @Test(.enabled(if: canMountTmpfs, "needs root and permission to mount a tmpfs (mount -t tmpfs)"))
    func fullDiskLosesWholeRowsOnlyAndRecordsTheGapOnceSpaceReturns() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let disk = scratch.path + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try #require(Self.mountTinyDisk(at: disk))
        defer { _ = Self.run("/usr/bin/umount", ["-l", disk]) }
        let filler = disk + "/filler"
        try Data(repeating: 0x41, count: 24 * 1024).write(to: URL(fileURLWithPath: filler))

        let writer = RecordWriter(
            settings: .init(dataDirectory: disk, pair: "BTC-USD", orderBookLevels: 3, compressesFinishedDays: false,
                            flushInterval: .seconds(3600)),
            clock: ManualClock(StorageScratch.time("2026-11-21T12:00:00Z")), logger: StorageScratch.logger)
        var batch = writer.makeBatch()
        var second = 0
        while writer.counters.rowsDropped == 0, second < 20_000 {
            for _ in 0..<7 {
                let time = StorageScratch.time("2026-11-21T10:00:00Z")
                let instant = UTCTimestamp(microsecondsSince1970: time.microseconds + Int64(second) * 1_000)
                let levels = (0..<3).map { PriceLevel(price: ExactDecimal(units: 1_000_000 + Int64($0), scale: 2),
                                                       qty: ExactDecimal(units: Int64(second), scale: 8)) }
                batch.appendOrderBook(timestamp: instant, receivedAt: instant, bids: levels[...], asks: levels[...])
                second += 1
            }
            writer.submit(&batch)
            writer.flush()
        }
        let dropped = writer.counters.rowsDropped
        #expect(dropped > 0)
        #expect(writer.counters.lastError?.contains("No space left on device") == true)
        let path = disk + "/BTC-USD/orderbook/orderbook_data_2026-11-21.csv"
        let header = String(decoding: OrderBookCSV.header(levels: 3), as: UTF8.self)
        let whenFull = try String(contentsOfFile: path, encoding: .utf8)
        #expect(whenFull.hasPrefix(header))
        #expect(whenFull.hasSuffix("\n"))
        let commas = header.filter { $0 == "," }.count
        let rowsWhenFull = whenFull.split(separator: "\n").dropFirst()
        #expect(rowsWhenFull.allSatisfy { $0.filter { $0 == "," }.count == commas })
        #expect(rowsWhenFull.count + dropped == second)

        // Space returns: the next batch is written and the gap goes to the ledger.
        try FileManager.default.removeItem(atPath: filler)
        let later = StorageScratch.time("2026-11-21T11:00:00Z")
        let level = [PriceLevel(price: ExactDecimal(units: 1, scale: 0), qty: ExactDecimal(units: 1, scale: 0))]
        batch.appendOrderBook(timestamp: later, receivedAt: later, bids: level[...], asks: level[...])
        writer.submit(&batch)
        writer.flush()
        writer.close()
        let afterwards = try String(contentsOfFile: path, encoding: .utf8)
        #expect(afterwards.hasSuffix("2026-11-21T11:00:00.000000Z,2026-11-21T11:00:00.000000Z,,,,,1,1,1.0,1,1,,,,\n"))
        let events = try String(contentsOfFile: disk + "/BTC-USD/events/events_2026-11-21.csv", encoding: .utf8)
        let gap = try #require(events.split(separator: "\n").last)
        #expect(gap.contains(",write_failed,\"\(dropped) rows lost (orderbook \(dropped), trades 0, events 0)"))
        #expect(gap.contains("orderbook_data_2026-11-21.csv"))
        #expect(gap.contains("No space left on device"))
        #expect(writer.counters.rowsDropped == dropped)
    }
}
