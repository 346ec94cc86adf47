/// Decodes Kraken WebSocket v2 frames straight from their bytes. Keys may come in any order,
/// unknown keys and channels are skipped (after checking they are well-formed JSON), and every
/// price and quantity keeps its printed digits. Keep one decoder per connection and reuse it: it
/// recycles its level arrays once the caller has let go of the previous message, so the hot path
/// allocates almost nothing.
public struct KrakenDecoder: Sendable {
    /// The book entries of the last frame, reused entry by entry (`parseBookData`).
    var books: [KrakenBookMessage] = []
    var tradeList: [KrakenTrade] = []
    /// The last timestamp's minute: consecutive messages parse only their seconds and fraction.
    var timestampCache = TimestampMinuteCache()
    /// The last book entry's symbol, reused while entries name the same pair (no String made).
    var bookSymbol = SymbolCache()
    /// The same for trades.
    var tradeSymbol = SymbolCache()

    /// Creates a decoder with empty scratch storage.
    public init() {}

    /// Decodes one complete frame (the text of one WebSocket message, UTF-8).
    public mutating func decode(_ frame: UnsafeRawBufferPointer) throws(KrakenDecodeError) -> KrakenMessage {
        var scanner = JSONScanner(frame)
        // Kraken's book and trade frames, exactly `{"channel":"book","type":"update","data":…}`:
        // the header as a few literals and the message made straight from `data`, no header
        // record built (its fields, strings and destroy were ~500 instructions per frame; issue
        // 10, callgrind). Anything else in the frame after `data` continues on the general path.
        if let prefix = Self.skipDataFramePrefix(&scanner) {
            let data = try parseData(of: prefix.channel, scanner: &scanner)
            if scanner.skipObjectEndAtFrameEnd() {
                return try dataMessage(of: prefix.channel, isSnapshot: prefix.isSnapshot, data: data)
            }
            var header = FrameHeader()
            header.channel = prefix.channel
            header.type = prefix.isSnapshot ? "snapshot" : "update"
            header.data = .parsed(data)
            return try decodeFields(&scanner, frame: frame, header: header, isFirst: false)
        }
        guard try scanner.peek() == UInt8(ascii: "{") else {
            throw .notAKrakenMessage("the frame is not a JSON object")
        }
        var header = FrameHeader()
        try scanner.beginObject(key: "frame")
        var isFirst = true
        // Kraken's data messages start `{"channel":…,"type":…,"data":` without whitespace: each
        // key matched as one literal; the general loop below takes whatever else comes.
        if scanner.skipLiteral(Self.channelKey) {
            isFirst = false
            let channel = Channel(try scanner.readRawString(key: "channel"), in: scanner)
            header.channel = channel
            if scanner.skipLiteral(Self.typeKey) {
                header.type = try Self.readType(&scanner)
                if scanner.skipLiteral(Self.dataKey) {
                    header.data = .parsed(try parseData(of: channel, scanner: &scanner))
                }
            }
        }
        return try decodeFields(&scanner, frame: frame, header: header, isFirst: isFirst)
    }

    /// The rest of a frame's top-level fields from `scanner` on, then the message they make.
    private mutating func decodeFields(
        _ scanner: inout JSONScanner, frame: UnsafeRawBufferPointer, header: consuming FrameHeader, isFirst: Bool
    ) throws(KrakenDecodeError) -> KrakenMessage {
        var isFirst = isFirst
        while let key = try scanner.nextKey(isFirst: &isFirst) {
            try readTopLevelField(key, scanner: &scanner, header: &header)
        }
        try scanner.expectEnd()
        if case .pending(let offset) = header.data, let channel = header.channel {
            var dataScanner = JSONScanner(frame, offset: offset)
            header.data = .parsed(try parseData(of: channel, scanner: &dataScanner))
        }
        return try message(from: header)
    }

    /// Decodes one complete frame given as bytes.
    public mutating func decode(_ frame: [UInt8]) throws(KrakenDecodeError) -> KrakenMessage {
        let result: Result<KrakenMessage, KrakenDecodeError> = frame.withUnsafeBytes { buffer in
            do throws(KrakenDecodeError) { return .success(try decode(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Decodes one complete frame given as text (tests, tools).
    public mutating func decode(_ frame: String) throws(KrakenDecodeError) -> KrakenMessage {
        try decode(Array(frame.utf8))
    }

    // MARK: Top level

    private mutating func readTopLevelField(
        _ key: JSONScanner.RawString, scanner: inout JSONScanner, header: inout FrameHeader
    ) throws(KrakenDecodeError) {
        if scanner.matches(key, "channel") {
            header.channel = Channel(try scanner.readRawString(key: "channel"), in: scanner)
        } else if scanner.matches(key, "type") {
            header.type = try Self.readType(&scanner)
        } else if scanner.matches(key, "data") {
            if let channel = header.channel, header.method == nil {
                // The usual order (channel before data): parse in place, no second pass.
                header.data = .parsed(try parseData(of: channel, scanner: &scanner))
            } else {
                header.data = .pending(offset: scanner.offset)
                try scanner.skipValue()
            }
        } else if scanner.matches(key, "method") {
            header.method = try scanner.readString(key: "method")
        } else if scanner.matches(key, "result") {
            if try scanner.skipNull() { return }
            header.result = try Self.readAckResult(&scanner)
        } else if scanner.matches(key, "success") {
            header.success = try scanner.readBool(key: "success")
        } else if scanner.matches(key, "error") {
            if try scanner.skipNull() { return }
            header.error = try scanner.readString(key: "error")
        } else if scanner.matches(key, "symbol") {
            if try scanner.skipNull() { return }
            header.symbol = try scanner.readString(key: "symbol")
        } else if scanner.matches(key, "req_id") {
            if try scanner.skipNull() { return }
            header.reqID = try scanner.readInt64(key: "req_id")
        } else {
            try scanner.skipValue()
        }
    }

    private static var channelKey: StaticString { "\"channel\":" }
    private static var typeKey: StaticString { ",\"type\":" }
    private static var dataKey: StaticString { ",\"data\":" }

    /// The `type` string: the two values every data message has as constants (no String made per frame).
    private static func readType(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> String {
        let raw = try scanner.readRawString(key: "type")
        if scanner.matches(raw, "update") { return "update" }
        if scanner.matches(raw, "snapshot") { return "snapshot" }
        return scanner.string(raw)
    }

    private mutating func parseData(of channel: Channel, scanner: inout JSONScanner) throws(KrakenDecodeError)
        -> ParsedData
    {
        switch channel {
        case .book:
            try parseBookData(&scanner)
            return .book
        case .trade:
            try parseTradeData(&scanner)
            return .trades
        case .status:
            let status = try Self.parseStatusData(&scanner)
            return .status(system: status.system, connectionID: status.connectionID)
        case .instrument:
            return .instrument(try Self.parseInstrumentData(&scanner))
        case .ticker:
            return .ticker(try Self.parseTickerData(&scanner))
        case .ohlc:
            return .ohlc(try Self.parseOHLCData(&scanner))
        case .heartbeat, .other:
            try scanner.skipValue()
            return .skipped
        }
    }

    private mutating func message(from header: FrameHeader) throws(KrakenDecodeError) -> KrakenMessage {
        if let method = header.method {
            return try Self.response(method: method, header: header)
        }
        guard let channel = header.channel else {
            throw .notAKrakenMessage("the frame has neither 'method' nor 'channel'")
        }
        let parsed: ParsedData?
        switch header.data {
        case .absent: parsed = nil
        case .pending: parsed = nil  // unreachable: resolved in decode once the channel is known
        case .parsed(let data): parsed = data
        }
        switch channel {
        case .heartbeat:
            return .heartbeat
        case .other(let name):
            return .ignored(channel: name)
        case .status:
            guard case .status(let system, let connectionID)? = parsed else {
                throw .missingField("data", in: "status message")
            }
            return .status(system: system, connectionID: connectionID)
        case .book:
            guard let parsed else { throw .missingField("data", in: "book message") }
            return try dataMessage(of: .book, isSnapshot: try Self.isSnapshot(header.type, channel: "book"), data: parsed)
        case .trade:
            guard let parsed else { throw .missingField("data", in: "trade message") }
            return try dataMessage(of: .trade, isSnapshot: try Self.isSnapshot(header.type, channel: "trade"), data: parsed)
        case .instrument:
            guard case .instrument(let pairs)? = parsed else { throw .missingField("data", in: "instrument message") }
            return .instrument(
                KrakenInstrumentMessage(
                    isSnapshot: try Self.isSnapshot(header.type, channel: "instrument"), pairs: pairs))
        case .ticker:
            guard case .ticker(let entries)? = parsed else { throw .missingField("data", in: "ticker message") }
            return .ticker(
                KrakenTickerMessage(isSnapshot: try Self.isSnapshot(header.type, channel: "ticker"), tickers: entries))
        case .ohlc:
            guard case .ohlc(let candles)? = parsed else { throw .missingField("data", in: "ohlc message") }
            return .ohlc(
                KrakenOHLCMessage(isSnapshot: try Self.isSnapshot(header.type, channel: "ohlc"), candles: candles))
        }
    }

    /// A book or trade message from its parsed `data` (in the decoder's recycled arrays). Inlined:
    /// as a call its message came back borrowed and was copied whole (~150 instructions a frame).
    @inline(__always)
    private mutating func dataMessage(of channel: Channel, isSnapshot: Bool, data: ParsedData) throws(KrakenDecodeError)
        -> KrakenMessage
    {
        switch (channel, data) {
        case (.book, .book):
            if isSnapshot {
                for index in books.indices { books[index].isSnapshot = true }
            }
            return .book(books)
        case (.trade, .trades):
            return .trades(KrakenTradeMessage(isSnapshot: isSnapshot, trades: tradeList))
        case (.book, _):
            throw .missingField("data", in: "book message")
        default:
            throw .missingField("data", in: "trade message")
        }
    }

    /// Consumes `{"channel":"book","type":"update","data":` (or `trade`, or `snapshot`) exactly,
    /// and says which; nil (nothing consumed) for any other start.
    private static func skipDataFramePrefix(_ scanner: inout JSONScanner) -> (channel: Channel, isSnapshot: Bool)? {
        let start = scanner.offset
        guard scanner.skipLiteral(Self.channelOpening) else { return nil }
        let channel: Channel
        if scanner.skipLiteral(Self.bookThenType) {
            channel = .book
        } else if scanner.skipLiteral(Self.tradeThenType) {
            channel = .trade
        } else {
            scanner.offset = start
            return nil
        }
        if scanner.skipLiteral(Self.updateThenData) { return (channel, false) }
        if scanner.skipLiteral(Self.snapshotThenData) { return (channel, true) }
        scanner.offset = start
        return nil
    }

    private static var channelOpening: StaticString { "{\"channel\":\"" }
    private static var bookThenType: StaticString { "book\",\"type\":\"" }
    private static var tradeThenType: StaticString { "trade\",\"type\":\"" }
    private static var updateThenData: StaticString { "update\",\"data\":" }
    private static var snapshotThenData: StaticString { "snapshot\",\"data\":" }

    private static func isSnapshot(_ type: String?, channel: String) throws(KrakenDecodeError) -> Bool {
        switch type {
        case "snapshot"?: return true
        case "update"?: return false
        case nil: throw .missingField("type", in: "\(channel) message")
        case let other?: throw .invalidValue(key: "type", value: other)
        }
    }
}

/// The channels the decoder knows; anything else is skipped and reported by name.
enum Channel: Equatable {
    case book, trade, status, heartbeat, instrument, ticker, ohlc
    case other(String)

    init(_ raw: JSONScanner.RawString, in scanner: JSONScanner) {
        if scanner.matches(raw, "book") {
            self = .book
        } else if scanner.matches(raw, "trade") {
            self = .trade
        } else if scanner.matches(raw, "heartbeat") {
            self = .heartbeat
        } else if scanner.matches(raw, "status") {
            self = .status
        } else if scanner.matches(raw, "instrument") {
            self = .instrument
        } else if scanner.matches(raw, "ticker") {
            self = .ticker
        } else if scanner.matches(raw, "ohlc") {
            self = .ohlc
        } else {
            self = .other(scanner.string(raw))
        }
    }
}

/// What `data` turned into (book and trade results live in the decoder's recycled arrays).
enum ParsedData {
    case book
    case trades
    case status(system: String, connectionID: UInt64?)
    case instrument([KrakenInstrumentPair])
    case ticker([KrakenTicker])
    case ohlc([KrakenCandle])
    case skipped
}

/// The top-level fields of a frame, gathered in whatever order they arrive.
struct FrameHeader {
    enum DataState {
        case absent
        /// `data` came before `channel`: parse it from here once the channel is known.
        case pending(offset: Int)
        case parsed(ParsedData)
    }

    var method: String?
    var channel: Channel?
    var type: String?
    var data: DataState = .absent
    var result: KrakenDecoder.AckResult?
    var success: Bool?
    var error: String?
    var symbol: String?
    var reqID: Int64?
}
