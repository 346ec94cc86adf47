import Foundation
import Logging
@testable import BytebitCore

/// A fresh temporary folder per test, and small helpers to read what the writer left on disk.
struct StorageScratch {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "/bytebit-storage-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ pair: String, _ kind: DataFileKind, _ name: String) -> String {
        path + "/" + pair + "/" + kind.folderName + "/" + name
    }

    func read(_ pair: String, _ kind: DataFileKind, _ name: String) -> String? {
        try? String(contentsOfFile: file(pair, kind, name), encoding: .utf8)
    }

    func names(_ pair: String, _ kind: DataFileKind) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/" + pair + "/" + kind.folderName)) ?? []).sorted()
    }

    static let logger = Logger(label: "bytebit.storage.tests")

    static func time(_ text: String) -> UTCTimestamp {
        UTCTimestamp(text) ?? UTCTimestamp(microsecondsSince1970: 0)
    }

    static func trade(_ batch: inout RowBatch, _ time: String, id: UInt64) {
        let instant = Self.time(time)
        batch.appendTrade(timestamp: instant, receivedAt: instant, tradeID: id, side: "sell",
                          price: ExactDecimal(units: 673211, scale: 1), qty: ExactDecimal(units: 100_000, scale: 8),
                          orderType: "limit")
    }

    static func book(_ batch: inout RowBatch, _ time: String, bid: Int64 = 1001, ask: Int64 = 1002) {
        let instant = Self.time(time)
        let bids = [PriceLevel(price: ExactDecimal(units: bid, scale: 1), qty: ExactDecimal(units: 5, scale: 1))]
        let asks = [PriceLevel(price: ExactDecimal(units: ask, scale: 1), qty: ExactDecimal(units: 7, scale: 1))]
        batch.appendOrderBook(timestamp: instant, receivedAt: instant, bids: bids[...], asks: asks[...])
    }

    /// Runs `gzip -dc` (not our own zlib code) on a file.
    static func gunzip(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        process.arguments = ["-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
