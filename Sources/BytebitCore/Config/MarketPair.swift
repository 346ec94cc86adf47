import Foundation

/// A Kraken spot market written `BASE-QUOTE` (upper case letters, digits and `.`), e.g. `BTC-USD`
/// or `ETH2.S-ETH` (Kraken lists `ETH2.S/ETH`).
///
/// Kraken v1 names `XBT` and `XDG` are accepted and normalised to v2's `BTC` and `DOGE`, because
/// v2 rejects the old names ("Currency pair not supported XBT/USD").
public struct MarketPair: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    /// The base asset, e.g. `BTC`.
    public let base: String
    /// The quote asset, e.g. `USD`.
    public let quote: String

    /// Old asset names that Kraken v2 spells differently.
    public static let assetAliases: [String: String] = ["XBT": "BTC", "XDG": "DOGE"]

    /// What a pair must look like, for error messages.
    public static let expectedForm = "BASE-QUOTE in upper case letters, digits and '.' (never '..' or a leading '.'), e.g. BTC-USD"

    /// A pair from known-good asset names (code and tests; config text goes through `init?(parsing:)`).
    init(base: String, quote: String) {
        self.base = base
        self.quote = quote
    }

    /// Parses `BASE-QUOTE`; nil unless both parts are 1 to 16 upper case ASCII letters, digits or `.`,
    /// with no leading `.` and no `..` (so a name can never walk out of its folder as `..`).
    /// Lower case is rejected rather than guessed, so file and folder names always match the config.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy(Self.isAssetName) else { return nil }
        let base = String(parts[0])
        let quote = String(parts[1])
        self.base = Self.assetAliases[base] ?? base
        self.quote = Self.assetAliases[quote] ?? quote
    }

    /// The pair's name in files, folders and commands: `BTC-USD`.
    public var name: String { "\(base)-\(quote)" }

    /// The symbol Kraken v2 expects: `BTC/USD`.
    public var krakenSymbol: String { "\(base)/\(quote)" }

    public var description: String { name }

    public static func < (lhs: MarketPair, rhs: MarketPair) -> Bool {
        lhs.name < rhs.name
    }

    /// A likely intended spelling of a rejected pair (`btc/usd` → `BTC-USD`), for error messages.
    public static func suggestion(for text: String) -> MarketPair? {
        let candidate = text.uppercased().replacingOccurrences(of: "/", with: "-")
            .replacingOccurrences(of: "_", with: "-")
        guard candidate != text else { return nil }
        return MarketPair(parsing: candidate)
    }

    /// ` (did you mean BTC-USD?)` after an error about `text`, or nothing when no spelling suggests itself.
    public static func suggestionHint(for text: String) -> String {
        suggestion(for: text).map { " (did you mean \($0.name)?)" } ?? ""
    }

    /// What a command or a client is told of a name that is no pair (`btc-usd`, `BTC/USD`).
    public static func notAPairName(_ text: String) -> String {
        "\(JSONString.quoted(text)) is not a pair name: expected BASE-QUOTE in upper case, e.g. BTC-USD"
            + suggestionHint(for: text)
    }

    /// Parses Kraken's `BASE/QUOTE` symbol, as the instrument channel lists it.
    public init?(krakenSymbol symbol: String) {
        let parts = symbol.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        self.init(parsing: "\(parts[0])-\(parts[1])")
    }

    private static func isAssetName(_ part: Substring) -> Bool {
        (1...16).contains(part.count)
            && !part.hasPrefix(".") && !part.contains("..")
            && part.unicodeScalars.allSatisfy {
                ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "."
            }
    }
}
