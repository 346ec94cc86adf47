import Foundation

/// A client request as the simulator understands it. Parsed with JSONSerialization: requests carry
/// no prices, so nothing exact is lost.
struct SimRequest {
    var method: String
    var requestID: Int64?
    var channel: String?
    /// The `symbol` parameter; nil when absent or not an array of strings.
    var symbols: [String]?
    /// The `depth` parameter: nil when absent; `.some(nil)` when present but not an integer.
    var depth: Int??
    var snapshot: Bool?
    /// The ticker's `event_trigger` (`trades` or `bbo`).
    var eventTrigger: String?
    /// The ohlc `interval` in minutes; nil when absent or not an integer.
    var interval: Int?

    /// Nil when the text is not a JSON object with a string `method`.
    init?(text: String) {
        guard let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let method = object["method"] as? String
        else { return nil }
        self.method = method
        requestID = Self.integer(object["req_id"])
        let params = object["params"] as? [String: Any] ?? [:]
        channel = params["channel"] as? String
        symbols = params["symbol"] as? [String]
        if let rawDepth = params["depth"] {
            depth = .some(Self.integer(rawDepth).flatMap { Int(exactly: $0) })
        }
        snapshot = params["snapshot"] as? Bool
        eventTrigger = params["event_trigger"] as? String
        interval = Self.integer(params["interval"]).flatMap { Int(exactly: $0) }
    }

    /// The request id of any text that parses as an object, for echoing in an error.
    static func requestID(in text: String) -> Int64? {
        guard let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return integer(object["req_id"])
    }

    private static func integer(_ value: Any?) -> Int64? {
        guard let number = value as? NSNumber else { return nil }
        // JSON true/false also arrive as NSNumber; they are not integers.
        if String(cString: number.objCType) == "c" { return nil }
        let double = number.doubleValue
        guard double.rounded() == double, abs(double) < 9.0e18 else { return nil }
        return number.int64Value
    }
}
