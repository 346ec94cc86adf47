/// Where the collectors connect and which extra CA they trust.
public struct KrakenEndpoint: Sendable, Equatable, Hashable {
    /// A `ws://` or `wss://` URL speaking Kraken WebSocket v2, as written in the config.
    public var url: String
    /// An absolute path to an extra CA certificate (PEM) to trust besides the system store; nil for none.
    /// Certificate verification is never switched off.
    public var caFile: String?

    /// Kraken's public WebSocket v2 endpoint.
    public static let krakenPublicURL = "wss://ws.kraken.com/v2"

    /// An endpoint at `url`, optionally trusting `caFile` as well.
    public init(url: String = KrakenEndpoint.krakenPublicURL, caFile: String? = nil) {
        self.url = url
        self.caFile = caFile
    }
}
