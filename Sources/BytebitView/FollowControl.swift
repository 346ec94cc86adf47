import BytebitCore

/// How `--follow` waits and tells the time; injected so tests need not sleep.
public struct FollowControl: Sendable {
    /// The clock deciding when the day is over.
    public var clock: any WallClock
    /// Waits for more data; returns false to stop following (e.g. after SIGINT, or in a test).
    public var waitForMoreData: @Sendable () -> Bool

    public init(clock: any WallClock, waitForMoreData: @escaping @Sendable () -> Bool) {
        self.clock = clock
        self.waitForMoreData = waitForMoreData
    }
}
