/// Where the hub's messages for clients go: the feed server's connections.
public protocol LiveClientOutput: AnyObject, Sendable {
    /// Queues one text message; false when the connection is gone.
    @discardableResult func send(_ bytes: [UInt8], to id: UInt64) -> Bool
    /// Asks for `LiveHub.clientIsWritable` once the connection's queue is empty.
    func requestWritable(_ id: UInt64)
    /// Drops what is queued and closes the connection now with `code`.
    func disconnect(_ id: UInt64, code: Int, reason: String)
}
