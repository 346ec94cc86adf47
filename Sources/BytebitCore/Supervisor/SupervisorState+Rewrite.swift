import Foundation

extension SupervisorState {
    /// How often an unchanged state is refreshed anyway, so that `bytebit status` still sees the
    /// supervisor alive (it calls a state older than `StatusReport.staleAfterMicroseconds` gone).
    public static let refreshMicroseconds: Int64 = 5_000_000

    /// What the state file needs after `previous` was written.
    public enum FileUpdate: Sendable, Equatable {
        /// Something a reader shows changed: encode and rewrite it.
        case rewrite
        /// Only the liveness refresh is due: touch the file (its modification time counts as
        /// `updatedAt`, `refreshedAt(_:path:)`), without encoding 672 markets' entries again.
        case touch
    }

    /// What must happen to the state file now that this state replaces `previous`; nil: nothing.
    /// Encoding 672 markets' entries every second, then every 5 s, was most of the supervisor's CPU
    /// with every Kraken pair recorded.
    public func fileUpdate(after previous: SupervisorState?) -> FileUpdate? {
        guard let previous else { return .rewrite }
        if previous.markets != markets || previous.pid != pid || previous.startedAt != startedAt
            || previous.configPath != configPath
        {
            return .rewrite
        }
        return updatedAt.microseconds - previous.updatedAt.microseconds >= Self.refreshMicroseconds ? .touch : nil
    }

    /// Sets the modification time of the state file at `path` to `now` (the liveness refresh).
    public static func touch(path: String, now: UTCTimestamp) throws(SupervisorError) {
        let seconds = now.microseconds / 1_000_000
        let times = [
            timespec(tv_sec: Int(seconds), tv_nsec: Int(now.microseconds - seconds * 1_000_000) * 1_000),
            timespec(tv_sec: Int(seconds), tv_nsec: Int(now.microseconds - seconds * 1_000_000) * 1_000),
        ]
        guard utimensat(AT_FDCWD, path, times, 0) == 0 else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// This state as of its file's last refresh: `updatedAt` is the later of the written time and
    /// the file's modification time (`touch`).
    public func refreshed(path: String) -> SupervisorState {
        var info = stat()
        guard stat(path, &info) == 0 else { return self }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000 + Int64(info.st_mtim.tv_nsec) / 1_000
        var state = self
        if modified > updatedAt.microseconds { state.updatedAt = UTCTimestamp(microsecondsSince1970: modified) }
        return state
    }
}
