import Foundation

/// The loader's status file (`--status-file`, under `bytebit run`: `<run>/services/loader.json`), read
/// by `bytebit status`. Its own module so `bytebit` can read it without linking libpq. The database is
/// named by its redacted URL only: no password is ever written here.
public struct LoaderStatus: Codable, Sendable, Equatable {
    /// `loading` (connected, following the files), `waiting` (the database cannot be used now; retrying),
    /// `stopped`.
    public var state: String
    /// The database URL with its password replaced by `***`.
    public var database: String
    public var pid: Int32
    /// When this file was written (seconds since 1970).
    public var updatedAt: Double
    /// Per stream (`orderbook`, `trades`, `events`): how far behind the files the database is.
    public var streams: [String: StreamLag]
    /// Rows the database refused or that were not valid rows, since the loader started.
    public var rejectedRows: Int
    /// The last trouble (redacted), and when; nil once it is resolved... kept for the operator until
    /// a later success.
    public var lastError: String?
    public var lastErrorAt: Double?
    /// Seconds until the next retry while `waiting`.
    public var retryInSeconds: Double?

    public struct StreamLag: Codable, Sendable, Equatable {
        /// Rows loaded since the loader started.
        public var rowsLoaded: Int
        /// Complete rows in the files not yet in the database (plain files; a finished gzip day not yet
        /// loaded counts as `daysBehind`).
        public var rowsBehind: Int
        public var daysBehind: Int
        /// How long ago the database last held every row of this stream's files; 0 while it does.
        public var secondsBehind: Double

        public init(rowsLoaded: Int = 0, rowsBehind: Int = 0, daysBehind: Int = 0, secondsBehind: Double = 0) {
            self.rowsLoaded = rowsLoaded
            self.rowsBehind = rowsBehind
            self.daysBehind = daysBehind
            self.secondsBehind = secondsBehind
        }
    }

    public init(state: String, database: String, pid: Int32, updatedAt: Double, streams: [String: StreamLag] = [:],
                rejectedRows: Int = 0, lastError: String? = nil, lastErrorAt: Double? = nil, retryInSeconds: Double? = nil) {
        self.state = state
        self.database = database
        self.pid = pid
        self.updatedAt = updatedAt
        self.streams = streams
        self.rejectedRows = rejectedRows
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.retryInSeconds = retryInSeconds
    }

    public static func read(from path: String) throws -> LoaderStatus {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(LoaderStatus.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Writes the file whole (temporary file, then rename), so a reader never sees half of it.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(self)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let temporary = "\(path).tmp-\(getpid())"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// Lines for `bytebit status` and the systemd status line: `loader: loading, 0 rows behind`.
    public func summary(now: Double) -> String {
        let behind = streams.values.reduce(0) { $0 + $1.rowsBehind }
        let days = streams.values.reduce(0) { $0 + $1.daysBehind }
        let seconds = streams.values.map(\.secondsBehind).max() ?? 0
        var text = "loader \(state) \(database): \(behind) rows"
        if days > 0 { text += " and \(days) finished days" }
        text += " behind"
        if seconds > 0 { text += " (\(Int(seconds)) s)" }
        if rejectedRows > 0 { text += ", \(rejectedRows) rows rejected" }
        if let lastError, state != "loading" {
            text += "; \(lastError)"
            if let retryInSeconds { text += " (retry in \(Int(retryInSeconds.rounded(.up))) s)" }
        }
        if now - updatedAt > 30 { text += " [status \(Int(now - updatedAt)) s old]" }
        return text
    }
}
