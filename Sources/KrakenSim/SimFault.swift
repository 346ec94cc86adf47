/// A failure the simulator injects. "Message N" counts data frames (book and trade channel frames,
/// snapshots included) sent on one connection, from 1; book-message faults count book frames only.
public enum SimFault: Sendable, Hashable {
    /// Reset the TCP connection right after data message N.
    case dropAfter(messages: Int)
    /// After data message N, send nothing at all (no data, heartbeat, ack or pong) for S real seconds.
    case silence(afterMessages: Int, seconds: Double)
    /// Book message N carries a checksum that does not match its book.
    case wrongChecksum(bookMessage: Int)
    /// Data message N is cut in half: invalid JSON.
    case truncatedFrame(message: Int)
    /// Subscriptions to this symbol are refused with "Currency pair not supported SYMBOL".
    case rejectPair(symbol: String)
    /// Subscriptions to one channel (`ticker`, `ohlc`, `trade`, `book`) of this symbol are refused
    /// with "Currency pair not supported SYMBOL"; its other channels work.
    case rejectChannel(channel: String, symbol: String)
    /// After data message N, a `maintenance` status, no book or trade data for S real seconds, then
    /// an `online` status and data again.
    case maintenance(afterMessages: Int, seconds: Double)

    func validate() throws(SimError) {
        switch self {
        case .dropAfter(let count), .wrongChecksum(let count), .truncatedFrame(let count):
            guard count >= 1 else {
                throw .invalidOption(name: "fault message number", value: "\(count)", allowed: ">= 1")
            }
        case .silence(let count, let seconds), .maintenance(let count, let seconds):
            guard count >= 0 else {
                throw .invalidOption(name: "fault message number", value: "\(count)", allowed: ">= 0")
            }
            guard seconds > 0, seconds.isFinite else {
                throw .invalidOption(name: "fault seconds", value: "\(seconds)", allowed: "a number > 0")
            }
        case .rejectChannel(let channel, let symbol):
            guard ["book", "trade", "ticker", "ohlc"].contains(channel), !symbol.isEmpty else {
                throw .invalidOption(
                    name: "rejected channel", value: "\(channel):\(symbol)", allowed: "CHANNEL:SYMBOL like ticker:BTC/USD")
            }
        case .rejectPair(let symbol):
            guard !symbol.isEmpty else {
                throw .invalidOption(name: "rejected pair", value: "\"\"", allowed: "a symbol like BTC/USD")
            }
        }
    }
}

/// Which connections a fault hits, numbered from 1 in the order they opened.
public enum SimFaultScope: Sendable, Hashable {
    /// Only the first connection, so a client that reconnects recovers (the default).
    case firstConnection
    /// Every connection.
    case everyConnection
    /// Only the connection with this number.
    case connection(number: Int)

    func includes(connectionNumber: Int) -> Bool {
        switch self {
        case .firstConnection: return connectionNumber == 1
        case .everyConnection: return true
        case .connection(let number): return connectionNumber == number
        }
    }
}

/// A fault and the connections it hits.
public struct SimFaultRule: Sendable, Hashable {
    /// The failure.
    public var fault: SimFault
    /// Where it happens.
    public var scope: SimFaultScope

    /// A fault on the first connection unless told otherwise.
    public init(_ fault: SimFault, scope: SimFaultScope = .firstConnection) {
        self.fault = fault
        self.scope = scope
    }
}
