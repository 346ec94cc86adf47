/// The status files' JSON written by hand (`StatusJSONWriter`), the same bytes `JSONEncoder.statusFile`
/// writes from the `Encodable` conformances; `StatusJSONTests` holds the two equal.
public protocol StatusJSONFile {
    /// The file's JSON text, without its final newline.
    var jsonBytes: [UInt8] { get }
}

extension StatusJSONFile {
    /// Rewrites `path` atomically (temporary file + rename), so a reader never sees half a status.
    public func write(to path: String) throws(SupervisorError) {
        var bytes = jsonBytes
        bytes.append(UInt8(ascii: "\n"))
        try AtomicFile.write(bytes, to: path)
    }
}

extension CollectorStatus: StatusJSONFile {
    /// The JSON text of this status (sorted keys, as `encode(to:)` with `JSONEncoder.statusFile`).
    public var jsonBytes: [UInt8] {
        var writer = StatusJSONWriter(capacity: 640)
        write(to: &writer)
        return writer.bytes
    }

    func write(to json: inout StatusJSONWriter) {
        json.beginObject()
        json.key("checksum_failures"); json.value(checksumFailures)
        json.key("failed_connection_attempts"); json.value(failedConnectionAttempts)
        if let lastConnectionError { json.key("last_connection_error"); json.value(lastConnectionError) }
        json.key("last_message_at"); json.value(lastMessageAt)
        if let lastWriteError { json.key("last_write_error"); json.value(lastWriteError) }
        json.key("last_write_error_at"); json.value(lastWriteErrorAt)
        json.key("losing_rows"); json.value(isLosingRows)
        json.key("market"); json.value(market)
        json.key("pid"); json.value(Int(pid))
        json.key("reconnects"); json.value(reconnects)
        if let redis {
            json.key("redis")
            json.beginObject()
            json.key("connected"); json.value(redis.connected)
            json.key("dropped"); json.value(redis.dropped)
            json.key("sent"); json.value(redis.sent)
            json.endObject()
        }
        json.key("rows_lost"); json.value(rowsLost)
        json.key("rows_today"); rowsToday.write(to: &json)
        json.key("started_at"); json.value(startedAt)
        json.key("state"); json.value(state)
        json.key("updated_at"); json.value(updatedAt)
        json.endObject()
    }
}

extension CollectorStatus.RowCounts {
    func write(to json: inout StatusJSONWriter) {
        json.beginObject()
        json.key("events"); json.value(events)
        if klines > 0 { json.key("klines"); json.value(klines) }
        if let ohlc { json.key("ohlc"); json.value(ohlc) }
        json.key("orderbook"); json.value(orderbook)
        if let ticker { json.key("ticker"); json.value(ticker) }
        json.key("trades"); json.value(trades)
        json.endObject()
    }
}

extension CollectorGroupStatus: StatusJSONFile {
    /// The JSON text of this group status (sorted keys, as `encode(to:)` with `JSONEncoder.statusFile`).
    public var jsonBytes: [UInt8] {
        var json = StatusJSONWriter(capacity: 128 + 640 * markets.count)
        json.beginObject()
        json.key("markets")
        json.beginArray()
        for (index, market) in markets.enumerated() {
            if index > 0 { json.arraySeparator() }
            market.write(to: &json)
        }
        json.endArray()
        json.key("pid"); json.value(Int(pid))
        json.key("updated_at"); json.value(updatedAt)
        json.endObject()
        return json.bytes
    }
}
