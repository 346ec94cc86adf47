/// What `bytebit status` shows about one market's feed.
public struct FeedStatus: Sendable, Equatable {
    /// `idle`, `connecting`, `subscribing`, `awaiting_snapshot`, `live`, `resyncing`,
    /// `cooling_down`, `backing_off`, `maintenance`, `reconnecting`, `not_listed` (in a group: a pair
    /// Kraken does not list, held) or `stopped`.
    public var stateName: String
    /// The state of a pair held on a shared connection because Kraken does not list it.
    public static let notListed = "not_listed"
    /// Connection attempts after the first one.
    public var reconnectCount: Int
    /// Checksum mismatches that started a resync.
    public var checksumFailureCount: Int
    /// When the last frame of any kind arrived.
    public var lastMessageAt: UTCTimestamp?
    /// The last `system` value of Kraken's `status` channel.
    public var systemStatus: String?
    /// Frames that could not be decoded.
    public var malformedFrameCount: Int
    /// Connection attempts that failed in a row since the last open connection (0 while connected).
    public var failedConnectionAttempts: Int = 0
    /// Why the last connection attempt or connection ended, e.g. `cannot resolve ws.example`; nil if none yet.
    public var lastConnectionError: String? = nil
}
