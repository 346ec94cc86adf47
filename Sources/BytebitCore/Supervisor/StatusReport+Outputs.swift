/// The live outputs' lines under `bytebit status`'s table, summed over the markets' status files.
extension StatusReport {
    /// `redis: connected, 1234 messages sent, 5 dropped` (or `not connected`, or `connected for 2
    /// of 3 markets`); empty when no running market publishes to Redis.
    static func outputLines(state: SupervisorState, collectors: [String: CollectorStatus]) -> String {
        let outputs = state.markets.compactMap { market in
            collectors[market.market].flatMap { $0.pid == market.pid && $0.state != "stopped" ? $0.redis : nil }
        }
        guard !outputs.isEmpty else { return "" }
        let connected = outputs.filter(\.connected).count
        let connection = switch connected {
        case outputs.count: "connected"
        case 0: "not connected"
        default: "connected for \(connected) of \(outputs.count) markets"
        }
        let sent = outputs.map(\.sent).reduce(0, +)
        let dropped = outputs.map(\.dropped).reduce(0, +)
        return "redis: \(connection), \(sent) message\(sent == 1 ? "" : "s") sent, \(dropped) dropped\n"
    }
}
