/// A feed configuration that cannot work, caught before connecting.
public enum FeedError: Error, Equatable, CustomStringConvertible {
    /// The book depth is not one Kraken offers.
    case unsupportedDepth(symbol: String, depth: Int)
    /// The symbol is not in Kraken v2 `BASE/QUOTE` form.
    case malformedSymbol(String)
    /// Neither the book nor trades are recorded.
    case nothingToRecord(symbol: String)
    /// A policy value is out of range.
    case invalidPolicy(field: String, value: String, allowed: String)

    /// What is wrong and what to do about it.
    public var description: String {
        switch self {
        case .unsupportedDepth(let symbol, let depth):
            return "\(symbol): book depth \(depth) is not offered by Kraken; use 10, 25, 100, 500 or 1000"
        case .malformedSymbol(let symbol):
            return "symbol \"\(symbol)\" is not in Kraken v2 form BASE/QUOTE (e.g. BTC/USD)"
        case .nothingToRecord(let symbol):
            return "\(symbol): both orderbook and trades are off; enable at least one"
        case .invalidPolicy(let field, let value, let allowed):
            return "feed policy \(field) is \(value); allowed: \(allowed)"
        }
    }
}

extension FeedConfiguration {
    /// Kraken's book depths.
    public static let supportedDepths: Set<Int> = [10, 25, 100, 500, 1000]

    /// Throws the first setting that cannot work.
    public func validate() throws(FeedError) {
        let parts = symbol.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            throw .malformedSymbol(symbol)
        }
        guard recordsBook || recordsTrades else { throw .nothingToRecord(symbol: symbol) }
        guard !recordsBook || Self.supportedDepths.contains(bookDepth) else {
            throw .unsupportedDepth(symbol: symbol, depth: bookDepth)
        }
        try policy.validate()
    }
}

extension FeedPolicy {
    /// Throws the first value that is out of range.
    public func validate() throws(FeedError) {
        let durations: [(String, Duration)] = [
            ("pingInterval", pingInterval), ("pongTimeout", pongTimeout), ("staleAfter", staleAfter),
            ("requestTimeout", requestTimeout),
            ("unsubscribeTimeout", unsubscribeTimeout), ("stableSession", stableSession),
            ("mismatchBreakerWindow", mismatchBreakerWindow), ("mismatchCoolDown", mismatchCoolDown),
            ("rejectionBackoff", rejectionBackoff), ("rejectionBackoffLimit", rejectionBackoffLimit),
            ("connectionBudgetWindow", connectionBudgetWindow),
        ]
        for (field, duration) in durations where duration <= .zero {
            throw .invalidPolicy(field: field, value: "\(duration)", allowed: "a positive duration")
        }
        if maintenanceReconnectSpacing < .zero {
            throw .invalidPolicy(
                field: "maintenanceReconnectSpacing", value: "\(maintenanceReconnectSpacing)", allowed: "0 or more")
        }
        if pingInterval > .seconds(50) {
            throw .invalidPolicy(
                field: "pingInterval", value: "\(pingInterval)",
                allowed: "at most 50 s (Kraken drops idle connections after ~60 s)")
        }
        if mismatchBreakerLimit < 1 {
            throw .invalidPolicy(field: "mismatchBreakerLimit", value: "\(mismatchBreakerLimit)", allowed: "1 or more")
        }
        if connectionWarningAfterFailures < 1 {
            throw .invalidPolicy(
                field: "connectionWarningAfterFailures", value: "\(connectionWarningAfterFailures)",
                allowed: "1 or more")
        }
        if connectionBudget < 1 || connectionBudget > 150 {
            throw .invalidPolicy(
                field: "connectionBudget", value: "\(connectionBudget)",
                allowed: "1…150 (Kraken bans an IP above ~150 per 10 min)")
        }
    }
}
