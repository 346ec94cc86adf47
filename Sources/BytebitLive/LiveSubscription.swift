import BytebitCore
import Foundation

/// What a client asked for: `{"op":"subscribe","pairs":["BTC-USD"],"channels":["book","trade","kline","event"]}`
/// (`"pairs":["*"]` for every pair). A later subscribe replaces the earlier one.
public struct LiveSubscription: Equatable, Sendable {
    /// nil: every pair.
    public let pairs: Set<String>?
    public let channels: Set<LiveChannel>

    public init(pairs: Set<String>?, channels: Set<LiveChannel>) {
        self.pairs = pairs
        self.channels = channels
    }

    public func wants(_ envelope: LiveEnvelope) -> Bool {
        channels.contains(envelope.channel) && (pairs?.contains(envelope.pair) ?? true)
    }

    /// The longest subscribe message taken; a longer one is an error, not a parse.
    public static let maximumMessageBytes = 64 * 1024

    /// Reads a client's message; the error text is sent back to the client.
    /// (No prices in here: JSONSerialization is fine for the subscribe message.)
    public static func parse(_ message: some Collection<UInt8>) -> Result<LiveSubscription, LiveSubscriptionError> {
        guard message.count <= maximumMessageBytes else { return .failure(.init("message over 64 KiB")) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(message)), let fields = object as? [String: Any]
        else { return .failure(.init("expected a JSON object like {\"op\":\"subscribe\",\"pairs\":[\"BTC-USD\"],\"channels\":[\"book\"]}")) }
        guard let op = fields["op"] as? String else { return .failure(.init("missing \"op\" (expected \"subscribe\")")) }
        guard op == "subscribe" else { return .failure(.init("unknown op \(JSONString.quoted(op)) (expected \"subscribe\")")) }
        guard let pairList = fields["pairs"] as? [Any], !pairList.isEmpty else {
            return .failure(.init("\"pairs\" must be a non-empty array of pair names, or [\"*\"]"))
        }
        var pairs = Set<String>()
        for item in pairList {
            guard let name = item as? String, !name.isEmpty, name.utf8.count <= 64 else {
                return .failure(.init("\"pairs\" must hold pair names like \"BTC-USD\""))
            }
            if name == "*" {
                pairs.insert(name)
                continue
            }
            // As in config.yaml (`XBT-USD` is `BTC-USD`): a name no pair can have would be a
            // subscription that never brings anything.
            guard let pair = MarketPair(parsing: name) else { return .failure(.init(MarketPair.notAPairName(name))) }
            pairs.insert(pair.name)
        }
        let channelList = fields["channels"] ?? LiveChannel.allCases.map(\.rawValue)
        guard let channelNames = channelList as? [Any], !channelNames.isEmpty else {
            return .failure(.init("\"channels\" must be a non-empty array of book, trade, kline, event"))
        }
        var channels = Set<LiveChannel>()
        for item in channelNames {
            guard let name = item as? String, let channel = LiveChannel(rawValue: name) else {
                return .failure(.init("unknown channel \(item) (expected book, trade, kline or event)"))
            }
            channels.insert(channel)
        }
        return .success(LiveSubscription(pairs: pairs.contains("*") ? nil : pairs, channels: channels))
    }

    /// The acknowledgement sent back: `{"type":"subscribed","pairs":[…],"channels":[…]}`.
    public var acknowledgement: [UInt8] {
        let pairText = (pairs.map { $0.sorted() } ?? ["*"]).map(JSONString.quoted).joined(separator: ",")
        let channelText = LiveChannel.allCases.filter(channels.contains).map { "\"\($0.rawValue)\"" }
            .joined(separator: ",")
        return Array("{\"type\":\"subscribed\",\"pairs\":[\(pairText)],\"channels\":[\(channelText)]}".utf8)
    }
}

/// Why a client's message was not a subscribe; the client gets `{"type":"error","message":…}`.
public struct LiveSubscriptionError: Error, Equatable, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var reply: [UInt8] {
        Array("{\"type\":\"error\",\"message\":\(JSONString.quoted(message))}".utf8)
    }
}
