import BytebitCore

/// A group's subscribe and unsubscribe requests: merged into one request per channel (at most
/// `maxSymbolsPerRequest` symbols each) and paced (at most `maxRequestsPerSecond`), so Kraken's
/// undocumented message-rate limit is not hit (docs/kraken-v2.md §1.3).
public struct GroupRequestQueue: Sendable {
    public static let maxSymbolsPerRequest = 50
    public static let maxRequestsPerSecond = 5

    /// Requests of this round, not yet merged.
    private var incoming: [FeedSubscription] = []
    /// Merged requests waiting for the pacing.
    private var outgoing: [MergedRequest] = []
    /// When the last requests went out (at most `maxRequestsPerSecond` of them).
    private var sentAt: [Int64] = []
    /// The group's own `req_id`s (from a range no part uses) → each member's own request.
    private(set) var members: [Int: [FeedSubscription]] = [:]
    private var nextRequestID = 1_000_000_000

    public init() {}

    public var hasWaiting: Bool { !incoming.isEmpty || !outgoing.isEmpty }

    /// A new connection: what was waiting belonged to the old one.
    public mutating func connectionOpened() {
        incoming.removeAll()
        outgoing.removeAll()
        members.removeAll()
    }

    public mutating func enqueue(_ request: FeedSubscription) {
        incoming.append(request)
    }

    /// One request text for many members' requests.
    public struct MergedRequest: Sendable {
        public var text: String
        /// The parts' own requests it carries (each member's deadline starts when it goes out).
        public var members: [FeedSubscription]
    }

    /// Merges this round's requests, then returns the ones the pacing lets go at `now`.
    public mutating func dueRequests(at now: UTCTimestamp) -> [MergedRequest] {
        mergeIncoming()
        sentAt.removeAll { now.microseconds - $0 >= 1_000_000 }
        var due: [MergedRequest] = []
        while !outgoing.isEmpty, sentAt.count < Self.maxRequestsPerSecond {
            due.append(outgoing.removeFirst())
            sentAt.append(now.microseconds)
        }
        return due
    }

    /// The texts of `dueRequests(at:)`.
    public mutating func dueTexts(at now: UTCTimestamp) -> [String] {
        dueRequests(at: now).map(\.text)
    }

    private mutating func mergeIncoming() {
        guard !incoming.isEmpty else { return }
        var keys: [String] = []
        var batches: [String: [FeedSubscription]] = [:]
        for request in incoming {
            if batches[request.batchKey] == nil { keys.append(request.batchKey) }
            batches[request.batchKey, default: []].append(request)
        }
        incoming.removeAll()
        for key in keys {
            guard let batch = batches[key], let first = batch.first else { continue }
            if first.channel == .instrument {
                // One instrument subscription serves every part: its data lists all pairs.
                outgoing.append(MergedRequest(text: text(for: batch, symbols: []), members: batch))
                continue
            }
            var start = 0
            while start < batch.count {
                let chunk = Array(batch[start..<min(start + Self.maxSymbolsPerRequest, batch.count)])
                outgoing.append(MergedRequest(text: text(for: chunk, symbols: chunk.map(\.symbol)), members: chunk))
                start += Self.maxSymbolsPerRequest
            }
        }
    }

    private mutating func text(for chunk: [FeedSubscription], symbols: [String]) -> String {
        let requestID = nextRequestID
        nextRequestID += 1
        members[requestID] = chunk
        let first = chunk[0]
        return FeedSubscription.text(first.method, first.channel, symbols: symbols, depth: first.depth, requestID: requestID)
    }
}
