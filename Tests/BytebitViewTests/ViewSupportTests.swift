import CZlib
import Foundation
@testable import BytebitView
import BytebitCore

/// A throwaway data directory laid out as SPEC §4, with hand-made files (support for the View* suites).
final class ViewDataDirectory {
    let root: String
    var directory: DataDirectory { DataDirectory(path: root) }

    init() throws {
        root = NSTemporaryDirectory() + "bytebit-view-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Writes a day file (gzip-compressed when asked; in a layout sub-folder, or as an old numbered
    /// variant `.N.csv`, when given) and returns its path.
    @discardableResult
    func write(
        _ text: String, pair: String = "BTC-USD", kind: RecordedStream, date: String = "2026-11-21", gzip: Bool = false,
        layoutFolder: String? = nil, variant: Int = 0
    ) throws -> String {
        let folder = "\(root)/\(pair)/\(kind.folderName)" + (layoutFolder.map { "/" + $0 } ?? "")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/\(kind.fileStem)\(date)" + (variant > 0 ? ".\(variant)" : "") + ".csv" + (gzip ? ".gz" : "")
        if gzip {
            guard let file = gzopen(path, "wb") else { throw CocoaError(.fileWriteUnknown) }
            let bytes = Array(text.utf8)
            let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
            gzclose(file)
            guard written == Int32(bytes.count) else { throw CocoaError(.fileWriteUnknown) }
        } else {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        return path
    }

    /// Appends text to an existing plain file.
    func append(_ text: String, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// Runs `view` and returns its output and report (or the error it threw).
    func view(_ request: ViewRequest, width: Int = 200, follow: FollowControl? = nil) -> (String, Result<ViewReport, ViewError>) {
        let output = ViewOutput()
        let runner = ViewRunner(dataDirectory: directory, style: TerminalStyle(width: width, usesColour: false))
        do {
            let report = try runner.run(request, output: output, follow: follow)
            return (output.text, .success(report))
        } catch let error as ViewError {
            return (output.text, .failure(error))
        } catch {
            return (output.text, .failure(.unreadable(path: "unexpected \(error)", errno: 0)))
        }
    }
}

/// Hand-made day files: two book levels a side, a few trades and an events ledger with gaps.
enum ViewSamples {
    static let day = "2026-11-21"

    static let bookHeader = "timestamp,received_at,2nd_bid_qty,2nd_bid_price,best_bid_qty,best_bid_price,mid_price,"
        + "best_ask_qty,best_ask_price,2nd_ask_qty,2nd_ask_price"

    static let bookRows = [
        "2026-11-21T13:00:00.000000Z,2026-11-21T13:00:00.001000Z,0.50000000,67320.9,0.25000000,67321.0,67321.05,"
            + "1.00000000,67321.1,2.00000000,67321.3",
        "2026-11-21T13:00:01.500000Z,2026-11-21T13:00:01.501000Z,0.50000000,67320.9,0.30000000,67321.0,67321.1,"
            + "0.75000000,67321.2,2.00000000,67321.3",
        "2026-11-21T13:00:03.000000Z,2026-11-21T13:00:03.001000Z,,,0.30000000,67321.0,67321.15,"
            + "0.75000000,67321.3,,",
    ]

    static var book: String { ([bookHeader] + bookRows).joined(separator: "\n") + "\n" }

    static let tradeHeader = "timestamp,received_at,trade_id,side,price,qty,ord_type"

    /// (time, id, side, price, qty).
    static let trades: [(String, Int, String, String, String)] = [
        ("2026-11-21T13:00:00.250000Z", 101, "buy", "67321.1", "0.01000000"),
        ("2026-11-21T13:00:01.000000Z", 102, "sell", "67321.0", "0.50000000"),
        ("2026-11-21T13:00:02.000000Z", 103, "buy", "67321.4", "1.25000000"),
        ("2026-11-21T13:00:02.500000Z", 104, "sell", "67320.8", "0.00100000"),
        ("2026-11-21T13:00:04.000000Z", 105, "buy", "67321.2", "0.20000000"),
    ]

    static func tradeLine(_ trade: (String, Int, String, String, String)) -> String {
        let received = trade.0.replacingOccurrences(of: "Z", with: "").dropLast(3) + "900Z"
        return "\(trade.0),\(received),\(trade.1),\(trade.2),\(trade.3),\(trade.4),limit"
    }

    static var tradeFile: String { ([tradeHeader] + trades.map(tradeLine)).joined(separator: "\n") + "\n" }

    static let events = """
        timestamp,event,detail
        2026-11-21T12:59:58.000000Z,started,
        2026-11-21T12:59:59.000000Z,snapshot,
        2026-11-21T13:00:01.750000Z,checksum_mismatch,"expected 123, got 456"
        2026-11-21T13:00:01.800000Z,resync,
        2026-11-21T13:00:02.900000Z,snapshot,
        2026-11-21T13:00:05.000000Z,disconnected,close 1006
        2026-11-21T13:00:05.100000Z,stale,
        2026-11-21T13:02:05.100000Z,snapshot,
        2026-11-21T14:00:00.000000Z,stopped,SIGTERM

        """

    static func request(trades: Bool = false, format: OutputFormat = .table) -> ViewRequest {
        var request = ViewRequest(pair: "BTC-USD", date: CalendarDate(day) ?? CalendarDate(containing: UTCTimestamp(microsecondsSince1970: 0)))
        request.showsTrades = trades
        request.format = format
        return request
    }
}
