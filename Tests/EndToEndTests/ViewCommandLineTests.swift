import Foundation
import Testing

/// `bytebit view` and `list` on hand-made files, through the built executable: the messages and exit
/// codes of the smaller cases (pair spelling, a trades-only day, fewer levels than asked, corrupt rows).
@Suite struct ViewCommandLineTests {
    static let date = "2026-11-21"
    static let bookHeader = "timestamp,received_at,2nd_bid_qty,2nd_bid_price,best_bid_qty,best_bid_price,mid_price,"
        + "best_ask_qty,best_ask_price,2nd_ask_qty,2nd_ask_price"
    static let bookRow = "2026-11-21T13:00:00.000000Z,2026-11-21T13:00:00.001000Z,0.50000000,67320.9,0.25000000,67321.0,"
        + "67321.05,1.00000000,67321.1,2.00000000,67321.3"
    static let trades = """
        timestamp,received_at,trade_id,side,price,qty,ord_type
        2026-11-21T13:00:00.250000Z,2026-11-21T13:00:00.250900Z,101,buy,67321.1,0.01000000,limit

        """

    /// A data directory with `files` (path under it → text), and a runner of `bytebit`.
    struct Folder {
        let root: URL
        var data: URL { root.appendingPathComponent("data") }

        init(_ files: [String: String]) throws {
            root = try makeTemporaryDirectory("view-cli")
            for (path, text) in files {
                let url = root.appendingPathComponent("data/\(path)")
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
        }

        func bytebit(_ arguments: [String]) throws -> CommandResult {
            try runProduct("bytebit", arguments + ["--data-dir", data.path], in: root)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func helpNamesTheFilesColumnsNotTheSpec() throws {
        let folder = try Folder([:])
        defer { folder.remove() }
        let help = try runProduct("bytebit", ["view", "--help"], in: folder.root)
        #expect(help.status == 0)
        #expect(!help.stdout.contains("SPEC"), "\(help.stdout)")
        #expect(help.stdout.contains("the recorded file's columns"))
    }

    @Test(arguments: [["view", "btc-usd", "--date", date], ["list", "--pair", "btc-usd"]])
    func aLowerCasePairIsAUsageErrorWithASuggestion(arguments: [String]) throws {
        let folder = try Folder(["BTC-USD/trades/trade_data_\(Self.date).csv": Self.trades])
        defer { folder.remove() }
        let result = try folder.bytebit(arguments)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("did you mean BTC-USD?"), "\(result.stderr)")
    }

    @Test func aTradesOnlyDaySuggestsTrades() throws {
        let folder = try Folder(["BTC-USD/trades/trade_data_\(Self.date).csv": Self.trades])
        defer { folder.remove() }
        let result = try folder.bytebit(["view", "BTC-USD", "--date", Self.date])
        #expect(result.status == 1)
        #expect(result.stderr.contains("add --trades") && !result.stderr.contains("--date"), "\(result.stderr)")
        #expect(try folder.bytebit(["view", "BTC-USD", "--date", Self.date, "--trades"]).status == 0)
    }

    @Test func moreLevelsThanTheFileIsSaidOnStderr() throws {
        let folder = try Folder(["BTC-USD/orderbook/orderbook_data_\(Self.date).csv": Self.bookHeader + "\n" + Self.bookRow + "\n"])
        defer { folder.remove() }
        let result = try folder.bytebit(["view", "BTC-USD", "--date", Self.date, "--levels", "50"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("has 2 levels a side; showing 2, not the 50 asked for"), "\(result.stderr)")
    }

    @Test func listReportsCorruptRowsAndExits65() throws {
        let bad = Self.bookRow.replacingOccurrences(of: "2.00000000", with: "2.0x")
        let file = "BTC-USD/orderbook/orderbook_data_\(Self.date).csv"
        let folder = try Folder([file: [Self.bookHeader, Self.bookRow, bad].joined(separator: "\n") + "\n"])
        defer { folder.remove() }
        let result = try folder.bytebit(["list", "--format", "csv"])
        #expect(result.status == 65, "\(result)")
        #expect(result.stdout.contains("BTC-USD,\(Self.date),1,"), "\(result.stdout)")
        #expect(result.stderr.contains("\(file): line 3") || result.stderr.contains("line 3"), "\(result.stderr)")
        #expect(result.stderr.contains("1 corrupt row(s)"), "\(result.stderr)")
    }
}
