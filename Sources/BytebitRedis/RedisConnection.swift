import CHiredis
import Foundation

/// One blocking connection to a Redis server through hiredis: commands are appended to an output
/// buffer and their replies read back in order (a pipeline: a burst of commands costs few system
/// calls). Every read and write gives up after the connection's timeout, so a stuck server ends a
/// call with `RedisError.io` instead of holding the caller. Used by one thread at a time.
public final class RedisConnection: @unchecked Sendable {
    private let context: UnsafeMutablePointer<redisContext>
    private let address: String

    private init(context: UnsafeMutablePointer<redisContext>, address: String) {
        self.context = context
        self.address = address
    }

    deinit { redisFree(context) }

    /// Connects, logs in (`AUTH`), selects the database and checks with `PING` that the server
    /// takes commands (a server that wants a password refuses it with `NOAUTH`).
    public static func open(_ endpoint: RedisEndpoint, timeout: Duration) throws(RedisError) -> RedisConnection {
        let milliseconds = max(1, Int(timeout.components.seconds) * 1000 + Int(timeout.components.attoseconds / 1_000_000_000_000_000))
        guard let context = bb_redis_connect(endpoint.host, Int32(clamping: endpoint.port), milliseconds) else {
            throw .connect(address: endpoint.address, reason: "out of memory")
        }
        if let error = bb_redis_error(context) {
            let reason = String(cString: error)
            redisFree(context)
            throw .connect(address: endpoint.address, reason: reason)
        }
        let connection = RedisConnection(context: context, address: endpoint.address)
        if let password = endpoint.password {
            let words = endpoint.user.map { ["AUTH", $0, password] } ?? ["AUTH", password]
            if case .error(let reply) = try connection.command(words) {
                throw .authentication(address: endpoint.address, reply: reply)
            }
        }
        if endpoint.database != 0, case .error(let reply) = try connection.command(["SELECT", "\(endpoint.database)"]) {
            throw .refused(command: "SELECT \(endpoint.database)", reply: reply)
        }
        if case .error(let reply) = try connection.command(["PING"]) {
            throw .refused(command: "PING", reply: reply)
        }
        return connection
    }

    /// Appends commands already framed in the Redis protocol (`RedisCommands`); their replies come
    /// with `readReply`, one per command.
    public func appendFormatted(_ commands: [UInt8]) throws(RedisError) {
        let status = commands.withUnsafeBytes { bb_redis_append_formatted(context, $0.baseAddress, $0.count) }
        if status != 0 { throw .io(errorText) }
    }

    /// Writes the `count` pieces of commands already framed in the Redis protocol (`RedisCommands`'
    /// wire) straight to the socket, with one `sendmsg` for many pieces; consumes them (a partial
    /// write moves a piece's start). Their replies come with `readAcks`, one per command.
    func write(pieces: UnsafeMutablePointer<iovec>, count: Int) throws(RedisError) {
        if bb_redis_write_pieces(context, pieces, count) != 0 { throw .io(errorText) }
    }

    /// Shrinks the socket's send buffer (for tests: a write of many pieces then waits for the server again and again).
    func shrinkSendBuffer(to bytes: Int32) -> Bool {
        bb_redis_set_send_buffer(context, bytes) == 0
    }

    /// Appends a command of words (e.g. `SUBSCRIBE a b`, `CONFIG SET requirepass …`).
    public func append(_ words: [String]) throws(RedisError) {
        guard !words.isEmpty else { throw .refused(command: "(none)", reply: "an empty command") }
        let status = Self.withCStrings(words) { pointers in
            pointers.withUnsafeBufferPointer { bb_redis_append_words(context, Int32(words.count), $0.baseAddress) }
        }
        if status != 0 { throw .io(errorText) }
    }

    /// Sends what is appended and reads the next reply (waiting up to the timeout).
    public func readReply() throws(RedisError) -> RedisReply {
        var raw: UnsafeMutablePointer<redisReply>?
        guard bb_redis_get_reply(context, &raw) == 0, let raw else { throw .io(errorText) }
        defer { freeReplyObject(raw) }
        return RedisReply(raw)
    }

    /// The replies of `count` pipelined commands whose answers only need to say taken or refused
    /// (`PUBLISH`): no reply objects are built. `refused[i]` becomes 1 when reply `i` is an error.
    /// `read` is fewer than `count` only when the connection failed (`failure` says why); then the
    /// connection is not to be used again. `refusals` counts the errors among the replies read.
    func readAcks(_ count: Int, into refused: inout [UInt8]) -> (read: Int, refusals: Int, refusal: String?, failure: RedisError?) {
        if refused.count < count { refused = Array(repeating: 0, count: count) }
        var refusals = 0
        let (read, refusal) = withUnsafeTemporaryAllocation(of: CChar.self, capacity: Self.refusalCapacity) { text in
            let read = refused.withUnsafeMutableBufferPointer { flags in
                bb_redis_read_acks(context, count, flags.baseAddress, text.baseAddress, text.count, &refusals)
            }
            let refusal = text[0] == 0 ? nil : String(cString: text.baseAddress.unsafelyUnwrapped)
            return (read, refusal)
        }
        return (Int(read), refusals, refusal, Int(read) < count ? .io(errorText) : nil)
    }

    /// The first refusal of a pipeline is kept up to this many bytes (for the log line).
    private static let refusalCapacity = 256

    /// One command and its reply.
    public func command(_ words: [String]) throws(RedisError) -> RedisReply {
        try append(words)
        return try readReply()
    }

    /// Shuts the socket down from another thread: a blocked `readReply` throws at once (to stop a
    /// subscriber).
    public func interrupt() { bb_redis_shutdown(context) }

    private var errorText: String {
        bb_redis_error(context).map { String(cString: $0) } ?? "unknown error at \(address)"
    }

    private static func withCStrings<Result>(
        _ words: [String], _ body: ([UnsafePointer<CChar>?]) -> Result
    ) -> Result {
        let copies: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        defer { for copy in copies { free(copy) } }
        return body(copies.map { copy in copy.map { UnsafePointer($0) } })
    }
}
