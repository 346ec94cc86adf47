/// Where the collectors connect, which extra CA they trust and how many markets share a connection.
public struct KrakenEndpoint: Sendable, Equatable, Hashable {
    /// A `ws://` or `wss://` URL speaking Kraken WebSocket v2, as written in the config.
    public var url: String
    /// An absolute path to an extra CA certificate (PEM) to trust besides the system store; nil for none.
    /// Certificate verification is never switched off.
    public var caFile: String?
    /// How many markets one collector carries on its connection (`kraken.pairs_per_connection`).
    public var pairsPerConnection: PairsPerConnection

    /// Kraken's public WebSocket v2 endpoint.
    public static let krakenPublicURL = "wss://ws.kraken.com/v2"

    /// An endpoint at `url`, optionally trusting `caFile` as well.
    public init(url: String = KrakenEndpoint.krakenPublicURL, caFile: String? = nil,
                pairsPerConnection: PairsPerConnection = .auto) {
        self.url = url
        self.caFile = caFile
        self.pairsPerConnection = pairsPerConnection
    }
}
