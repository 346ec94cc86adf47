import Dispatch

/// How the recorder's loop passes time while no connection is open (backoff, maintenance spacing):
/// really waiting, or — in tests on a manual clock — moving the clock on at once.
public protocol IdleWait: Sendable {
    /// Returns after `microseconds`, or earlier once `wake()` is called.
    func wait(microseconds: Int64)
    /// Any thread: cuts the current (or next) wait short, e.g. for a stop request.
    func wake()
}

/// Real time: a semaphore that a stop request signals.
public final class SemaphoreIdleWait: IdleWait, @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    public init() {}

    public func wait(microseconds: Int64) {
        _ = semaphore.wait(timeout: .now() + .microseconds(Int(max(microseconds, 0))))
    }

    public func wake() {
        semaphore.signal()
    }
}
