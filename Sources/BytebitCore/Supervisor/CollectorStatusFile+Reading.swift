/// Reading a status file by hand (`StatusJSONReader`), the same statuses `JSONDecoder` reads from
/// it; `StatusJSONTests` holds the two equal. Anything the reader does not take goes to `JSONDecoder`.
extension CollectorStatusFile {
    /// The statuses in a status file's bytes (a group's file or a market's own); nil: not read by
    /// hand (the caller asks `JSONDecoder`, which says why).
    static func statuses(readingByHand bytes: [UInt8]) -> [CollectorStatus]? {
        var reader = StatusJSONReader(bytes)
        do {
            var fields = StatusFields()
            var markets: [CollectorStatus]?
            try reader.object { reader, key throws(StatusJSONReader.Unreadable) in
                if key == "markets" {
                    var list: [CollectorStatus] = []
                    try reader.array { reader throws(StatusJSONReader.Unreadable) in
                        var market = StatusFields()
                        try reader.object { reader, key throws(StatusJSONReader.Unreadable) in try market.read(key, &reader) }
                        list.append(try market.status())
                    }
                    markets = list
                } else {
                    try fields.read(key, &reader)
                }
            }
            try reader.finish()
            if let markets {
                // A group's file: its own pid and time are required as `CollectorGroupStatus` requires them.
                guard fields.pid != nil, fields.updatedAt != nil else { return nil }
                return markets
            }
            return [try fields.status()]
        } catch {
            return nil
        }
    }
}

/// One status object's members as read, in any order.
private struct StatusFields {
    var market: String?
    var pid: Int32?
    var state: String?
    var startedAt: UTCTimestamp?
    var updatedAt: UTCTimestamp?
    var lastMessageAt: UTCTimestamp?
    var rowsToday: CollectorStatus.RowCounts?
    var checksumFailures: Int?
    var reconnects: Int?
    var rowsLost: Int?
    var lastWriteError: String?
    var lastWriteErrorAt: UTCTimestamp?
    var isLosingRows: Bool?
    var failedConnectionAttempts: Int?
    var lastConnectionError: String?
    var redis: OutputStatus?

    typealias Unreadable = StatusJSONReader.Unreadable

    mutating func read(_ key: String, _ reader: inout StatusJSONReader) throws(Unreadable) {
        switch key {
        case "market": market = try reader.string()
        case "pid":
            guard let value = Int32(exactly: try reader.int()) else { throw Unreadable() }
            pid = value
        case "state": state = try reader.string()
        case "started_at": startedAt = try reader.timestamp()
        case "updated_at": updatedAt = try reader.timestamp()
        case "last_message_at": lastMessageAt = try reader.optionalTimestamp()
        case "rows_today": rowsToday = try Self.rowCounts(&reader)
        case "checksum_failures": checksumFailures = try reader.int()
        case "reconnects": reconnects = try reader.int()
        case "rows_lost": rowsLost = try reader.null() ? nil : try reader.int()
        case "last_write_error": lastWriteError = try reader.null() ? nil : try reader.string()
        case "last_write_error_at": lastWriteErrorAt = try reader.optionalTimestamp()
        case "losing_rows": isLosingRows = try reader.null() ? nil : try reader.bool()
        case "failed_connection_attempts": failedConnectionAttempts = try reader.null() ? nil : try reader.int()
        case "last_connection_error": lastConnectionError = try reader.null() ? nil : try reader.string()
        case "redis": redis = try reader.null() ? nil : try Self.output(&reader)
        default: try reader.skipValue()
        }
    }

    func status() throws(Unreadable) -> CollectorStatus {
        guard let market, let pid, let state, let startedAt, let updatedAt, let rowsToday, let checksumFailures,
              let reconnects
        else { throw Unreadable() }
        var status = CollectorStatus(
            market: market, pid: pid, state: state, startedAt: startedAt, updatedAt: updatedAt,
            lastMessageAt: lastMessageAt, rowsToday: rowsToday, checksumFailures: checksumFailures,
            reconnects: reconnects)
        status.rowsLost = rowsLost ?? 0
        status.lastWriteError = lastWriteError
        status.lastWriteErrorAt = lastWriteErrorAt
        status.isLosingRows = isLosingRows ?? false
        status.failedConnectionAttempts = failedConnectionAttempts ?? 0
        status.lastConnectionError = lastConnectionError
        status.redis = redis
        return status
    }

    private static func rowCounts(_ reader: inout StatusJSONReader) throws(Unreadable) -> CollectorStatus.RowCounts {
        var orderbook: Int?, trades: Int?, events: Int?, klines: Int?, ticker: Int?, ohlc: Int?
        try reader.object { reader, key throws(Unreadable) in
            switch key {
            case "orderbook": orderbook = try reader.int()
            case "trades": trades = try reader.int()
            case "events": events = try reader.int()
            case "klines": klines = try reader.null() ? nil : try reader.int()
            case "ticker": ticker = try reader.null() ? nil : try reader.int()
            case "ohlc": ohlc = try reader.null() ? nil : try reader.int()
            default: try reader.skipValue()
            }
        }
        guard let orderbook, let trades, let events else { throw Unreadable() }
        var counts = CollectorStatus.RowCounts(orderbook: orderbook, trades: trades, events: events, klines: klines ?? 0)
        counts.ticker = ticker
        counts.ohlc = ohlc
        return counts
    }

    private static func output(_ reader: inout StatusJSONReader) throws(Unreadable) -> OutputStatus {
        var connected: Bool?, sent: Int?, dropped: Int?
        try reader.object { reader, key throws(Unreadable) in
            switch key {
            case "connected": connected = try reader.bool()
            case "sent": sent = try reader.int()
            case "dropped": dropped = try reader.int()
            default: try reader.skipValue()
            }
        }
        guard let connected, let sent, let dropped else { throw Unreadable() }
        return OutputStatus(connected: connected, sent: sent, dropped: dropped)
    }
}
