/// The routing part of one LiveMessage line: its type and pair, read from the fixed start that
/// `LiveMessage` always writes (`{"type":"book","pair":"BTC-USD",…`). The rest is passed on untouched.
public struct LiveEnvelope: Equatable, Sendable {
    public let channel: LiveChannel
    public let pair: String

    public init(channel: LiveChannel, pair: String) {
        self.channel = channel
        self.pair = pair
    }

    private static let typePrefix = Array("{\"type\":\"".utf8)
    private static let pairKey = Array(",\"pair\":\"".utf8)

    /// Nil when the line does not start the way a LiveMessage does.
    public init?(line: some Collection<UInt8>) {
        var rest = line[...]
        guard rest.starts(with: Self.typePrefix) else { return nil }
        rest = rest.dropFirst(Self.typePrefix.count)
        guard let typeEnd = rest.firstIndex(of: UInt8(ascii: "\"")),
            let channel = LiveChannel(rawValue: String(decoding: rest[..<typeEnd], as: UTF8.self))
        else { return nil }
        rest = rest[rest.index(after: typeEnd)...]
        guard rest.starts(with: Self.pairKey) else { return nil }
        rest = rest.dropFirst(Self.pairKey.count)
        guard let pairEnd = rest.firstIndex(of: UInt8(ascii: "\"")), pairEnd != rest.startIndex,
            !rest[..<pairEnd].contains(UInt8(ascii: "\\"))
        else { return nil }
        self.channel = channel
        self.pair = String(decoding: rest[..<pairEnd], as: UTF8.self)
    }
}
