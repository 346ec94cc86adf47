import BytebitRedis
import Foundation

/// A real Redis subscriber for tests: `SUBSCRIBE`s to channels on a thread of its own and keeps
/// every message with the time it arrived. When the server goes away it reconnects and
/// subscribes again until stopped (messages published meanwhile are not seen: pub/sub keeps none).
public final class RedisSubscriber: @unchecked Sendable {
    public struct Received: Sendable {
        public var channel: String
        public var payload: String
        public var at: ContinuousClock.Instant
    }

    private let endpoint: RedisEndpoint
    private let channels: [String]
    private let lock = NSCondition()
    private var received: [Received] = []
    private var subscriptions = 0
    private var isStopped = false
    private var connection: RedisConnection?
    private var thread: Thread?

    /// Subscribes, and returns once the server confirmed every channel (or throws after 10 s).
    public init(endpoint: RedisEndpoint, channels: [String]) throws {
        self.endpoint = endpoint
        self.channels = channels
        let thread = Thread { [self] in run() }
        thread.name = "test-redis-subscriber"
        thread.start()
        self.thread = thread
        guard waitFor(timeout: .seconds(10), { $0.subscriptions >= 1 }) else {
            stop()
            throw RedisError.io("the subscriber was not subscribed within 10 s")
        }
    }

    deinit { stop() }

    public var messages: [Received] { lock.withLock { received } }

    /// How many times the subscription was (re)made.
    public var subscriptionCount: Int { lock.withLock { subscriptions } }

    public func messages(on channel: String) -> [Received] { messages.filter { $0.channel == channel } }

    /// Waits until `condition` holds for the messages so far, up to `timeout`; whether it held.
    public func waitForMessages(timeout: Duration, _ condition: ([Received]) -> Bool) -> Bool {
        waitFor(timeout: timeout) { condition($0.received) }
    }

    public func stop() {
        let open = lock.withLock {
            isStopped = true
            return connection
        }
        open?.interrupt()
    }

    private func waitFor(timeout: Duration, _ condition: (RedisSubscriber) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: Double(timeout.components.seconds))
        lock.lock()
        defer { lock.unlock() }
        while !condition(self) {
            guard lock.wait(until: deadline) else { return condition(self) }
        }
        return true
    }

    private func run() {
        while !lock.withLock({ isStopped }) {
            guard let open = try? RedisConnection.open(endpoint, timeout: .seconds(3600)) else {
                Thread.sleep(forTimeInterval: 0.02)
                continue
            }
            lock.withLock { connection = open }
            do {
                try open.append(["SUBSCRIBE"] + channels)
                var confirmed = 0
                while confirmed < channels.count {
                    if case .array(let parts) = try open.readReply(), parts.first?.text == "subscribe" { confirmed += 1 }
                }
                lock.withLock {
                    subscriptions += 1
                    lock.broadcast()
                }
                while true {
                    guard case .array(let parts) = try open.readReply(), parts.count == 3, parts[0].text == "message",
                          let channel = parts[1].text, let payload = parts[2].text
                    else { continue }
                    let message = Received(channel: channel, payload: payload, at: .now)
                    lock.withLock {
                        received.append(message)
                        lock.broadcast()
                    }
                }
            } catch {
                lock.withLock { connection = nil }
            }
        }
    }
}
