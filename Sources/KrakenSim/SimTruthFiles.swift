import BytebitCore
import Foundation

/// Writes the truth as JSON lines into a folder, one object per line, numbers as exact text:
///
/// `book-truth.jsonl`, after every published book message:
/// `{"symbol":"BTC/USD","depth":10,"timestamp":"2026-11-21T23:59:59.123456Z","checksum":3310070434,`
/// `"bids":[["67321.0","0.10000000"],…],"asks":[["67321.5","1.20000000"],…]}` — bids and asks best
/// first, at most `depth` each, prices and quantities at the pair's precision with trailing zeros.
///
/// `trade-truth.jsonl`, once per trade id, when first sent:
/// `{"symbol":"BTC/USD","trade_id":70635251,"side":"sell","price":"68466.9","qty":"0.01919415",`
/// `"ord_type":"market","timestamp":"2026-11-21T23:59:59.123456Z"}`.
///
/// `ticker-truth.jsonl`, once per ticker message (symbol, trigger, timestamp) sent:
/// `{"symbol":"BTC/USD","trigger":"bbo","timestamp":"…","bid":"67321.0","bid_qty":"0.10000000",`
/// `"ask":"67321.5","ask_qty":"1.20000000","last":"67321.1","volume":"12.30000000","vwap":"67320.9",`
/// `"low":"67100.0","high":"67400.0","change":"-5.0","change_pct":"-0.01"}`.
///
/// `ohlc-truth.jsonl`, once per candle of every Kraken interval when a later trade closes it:
/// `{"symbol":"BTC/USD","interval":1,"interval_begin":"2026-11-21T23:59:00.000000Z","open":"…",`
/// `"high":"…","low":"…","close":"…","volume":"…","vwap":"67321.12345","trades":12}`.
///
/// All files are replaced at start. Lines are buffered and written whole on `flush()`.
public final class SimTruthFiles: SimTruthSink {
    /// The first write error, if any; later lines are dropped.
    public private(set) var firstError: SimError?
    private let bookFile: TruthFile
    private let tradeFile: TruthFile
    private let tickerFile: TruthFile
    private let candleFile: TruthFile

    /// Creates the folder if needed and empties both files.
    public init(directory: String) throws(SimError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .truthFile(path: directory, reason: "\(error)")
        }
        bookFile = try TruthFile(path: (directory as NSString).appendingPathComponent("book-truth.jsonl"))
        tradeFile = try TruthFile(path: (directory as NSString).appendingPathComponent("trade-truth.jsonl"))
        tickerFile = try TruthFile(path: (directory as NSString).appendingPathComponent("ticker-truth.jsonl"))
        candleFile = try TruthFile(path: (directory as NSString).appendingPathComponent("ohlc-truth.jsonl"))
    }

    deinit {
        flush()
    }

    public func record(_ book: SimBookTruth) {
        bookFile.append(Self.line(for: book))
        if bookFile.bufferedBytes > 1 << 20 { flush() }
    }

    public func record(_ trade: SimTradeTruth) {
        tradeFile.append(Self.line(for: trade))
        if tradeFile.bufferedBytes > 1 << 20 { flush() }
    }

    public func record(_ ticker: SimTickerTruth) {
        tickerFile.append(Self.line(for: ticker))
        if tickerFile.bufferedBytes > 1 << 20 { flush() }
    }

    public func record(_ candle: SimCandleTruth) {
        candleFile.append(Self.line(for: candle))
        if candleFile.bufferedBytes > 1 << 20 { flush() }
    }

    public func flush() {
        for file in [bookFile, tradeFile, tickerFile, candleFile] {
            do {
                try file.flush()
            } catch {
                if firstError == nil { firstError = error }
            }
        }
    }

    /// The JSON line of a book truth, without the newline.
    public static func line(for book: SimBookTruth) -> String {
        func side(_ levels: [PriceLevel]) -> String {
            "[" + levels.map { #"["\#($0.price)","\#($0.qty)"]"# }.joined(separator: ",") + "]"
        }
        return #"{"symbol":"# + JSONString.quoted(book.symbol)
            + #","depth":\#(book.depth),"timestamp":"\#(book.timestamp)""#
            + #","checksum":\#(book.checksum),"bids":\#(side(book.bids)),"asks":\#(side(book.asks))}"#
    }

    /// The JSON line of a trade truth, without the newline.
    public static func line(for trade: SimTradeTruth) -> String {
        #"{"symbol":"# + JSONString.quoted(trade.symbol) + #","trade_id":\#(trade.tradeID),"side":"\#(trade.side)""#
            + #","price":"\#(trade.price)","qty":"\#(trade.qty)","ord_type":"\#(trade.orderType)""#
            + #","timestamp":"\#(trade.timestamp)"}"#
    }
}

extension SimTruthFiles {
    /// The JSON line of a ticker truth, without the newline.
    public static func line(for ticker: SimTickerTruth) -> String {
        #"{"symbol":"# + JSONString.quoted(ticker.symbol) + #","trigger":"\#(ticker.trigger)""#
            + #","timestamp":"\#(ticker.timestamp)","bid":"\#(ticker.bid)","bid_qty":"\#(ticker.bidQty)""#
            + #","ask":"\#(ticker.ask)","ask_qty":"\#(ticker.askQty)","last":"\#(ticker.last)""#
            + #","volume":"\#(ticker.volume)","vwap":"\#(ticker.vwap)","low":"\#(ticker.low)""#
            + #","high":"\#(ticker.high)","change":"\#(ticker.change)","change_pct":"\#(ticker.changePercent)"}"#
    }

    /// The JSON line of a candle truth, without the newline.
    public static func line(for candle: SimCandleTruth) -> String {
        #"{"symbol":"# + JSONString.quoted(candle.symbol) + #","interval":\#(candle.intervalMinutes)"#
            + #","interval_begin":"\#(candle.intervalBegin)","open":"\#(candle.open)","high":"\#(candle.high)""#
            + #","low":"\#(candle.low)","close":"\#(candle.close)","volume":"\#(candle.volume)""#
            + #","vwap":"\#(candle.vwap)","trades":\#(candle.trades)}"#
    }
}

/// One truth file: a handle and the bytes not yet written.
private final class TruthFile {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var isBroken = false

    var bufferedBytes: Int { buffer.count }

    init(path: String) throws(SimError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw .truthFile(path: path, reason: "cannot create the file") }
        self.handle = handle
    }

    func append(_ line: String) {
        guard !isBroken else { return }
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

    func flush() throws(SimError) {
        guard !buffer.isEmpty, !isBroken else { return }
        do {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        } catch {
            isBroken = true
            buffer = []
            throw .truthFile(path: path, reason: "\(error)")
        }
    }

    deinit {
        try? handle.close()
    }
}
