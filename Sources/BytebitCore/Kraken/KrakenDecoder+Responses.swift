/// Responses to our requests (`subscribe`/`unsubscribe` acks, `pong`) and the `status` channel.
extension KrakenDecoder {
    /// The `result` object of an acknowledgement.
    struct AckResult {
        var channel: String?
        var symbol: String?
        var depth: Int?
        var interval: Int?
        var warnings: [String] = []
    }

    static func readAckResult(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> AckResult {
        var result = AckResult()
        try scanner.beginObject(key: "result")
        var isFirst = true
        while let key = try scanner.nextKey(isFirst: &isFirst) {
            if scanner.matches(key, "channel") {
                result.channel = try scanner.readString(key: "channel")
            } else if scanner.matches(key, "symbol") {
                result.symbol = try scanner.readString(key: "symbol")
            } else if scanner.matches(key, "depth") {
                result.depth = try scanner.readInt(key: "depth", in: 0...1_000_000)
            } else if scanner.matches(key, "interval") {
                result.interval = try scanner.readInt(key: "interval", in: 0...1_000_000)
            } else if scanner.matches(key, "warnings") {
                try scanner.beginArray(key: "warnings")
                var isFirstWarning = true
                while try scanner.nextElement(isFirst: &isFirstWarning) {
                    result.warnings.append(try scanner.readString(key: "warnings"))
                }
            } else {
                try scanner.skipValue()
            }
        }
        return result
    }

    static func response(method: String, header: FrameHeader) throws(KrakenDecodeError) -> KrakenMessage {
        switch method {
        case "pong":
            return .pong(reqID: header.reqID)
        case "subscribe", "unsubscribe":
            guard let success = header.success else { throw .missingField("success", in: "\(method) acknowledgement") }
            let ack = KrakenAck(
                method: method,
                success: success,
                channel: header.result?.channel,
                symbol: header.result?.symbol ?? header.symbol,
                depth: header.result?.depth,
                error: header.error,
                reqID: header.reqID,
                warnings: header.result?.warnings ?? []
            ).with(interval: header.result?.interval)
            return method == "subscribe" ? .subscribed(ack) : .unsubscribed(ack)
        default:
            return .ignored(channel: method)
        }
    }

    /// `status` data: an array of engine states; the last entry wins (Kraken sends one).
    static func parseStatusData(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> (
        system: String, connectionID: UInt64?
    ) {
        var latest: (system: String, connectionID: UInt64?)?
        try scanner.beginArray(key: "data")
        var isFirst = true
        while try scanner.nextElement(isFirst: &isFirst) {
            var system: String?
            var connectionID: UInt64?
            try scanner.beginObject(key: "data")
            var isFirstKey = true
            while let key = try scanner.nextKey(isFirst: &isFirstKey) {
                if scanner.matches(key, "system") {
                    system = try scanner.readString(key: "system")
                } else if scanner.matches(key, "connection_id") {
                    connectionID = try scanner.readUInt64(key: "connection_id")
                } else {
                    try scanner.skipValue()
                }
            }
            guard let system else { throw .missingField("system", in: "status entry") }
            latest = (system, connectionID)
        }
        guard let latest else { throw .missingField("data[0]", in: "status message") }
        return latest
    }
}
