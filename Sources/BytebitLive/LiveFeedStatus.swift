import BytebitCore
import Foundation

/// The feed server's status file (`--status-file`, `<run>/services/live.json`), rewritten about every
/// second: what `bytebit status` shows for the live output. Never holds the token.
public struct LiveFeedStatus: Sendable, Equatable {
    public var listening: String
    public var counters: LiveFeedCounters
    public var updatedAt: UTCTimestamp

    public init(listening: String, counters: LiveFeedCounters, updatedAt: UTCTimestamp) {
        self.listening = listening
        self.counters = counters
        self.updatedAt = updatedAt
    }

    public var json: String {
        """
        {"service":"live","pid":\(getpid()),"listening":\(JSONString.quoted(listening)),\
        "updated_at":"\(updatedAt)","clients":\(counters.clientsConnected),\
        "collectors":\(counters.collectorsConnected),"messages_received":\(counters.messagesReceived),\
        "messages_sent":\(counters.messagesSent),"books_conflated":\(counters.booksConflated),\
        "dropped":\(counters.messagesDropped),"disconnected_slow":\(counters.disconnectedSlow),\
        "refused_unauthorized":\(counters.refusedUnauthorized)}

        """
    }

    /// Replaces the file whole (temporary file, then rename), so a reader never sees half of it.
    public func write(to path: String) throws(LiveFeedError) {
        let temporary = "\(path).tmp-\(getpid())"
        do {
            try Data(json.utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw .statusFile(path: path, reason: "\(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .statusFile(path: path, reason: reason)
        }
    }
}
