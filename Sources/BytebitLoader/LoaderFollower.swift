import BytebitCore
import BytebitLoaderStatus
import Foundation
import Logging

/// The loader child under `bytebit run`: follows the files, loading new complete rows about every
/// second, and survives any database outage (down, slow, wrong password, unreachable, missing
/// database): one log line per new kind of trouble, a retry after 1 s, 2 s, ... at most 60 s, never an
/// exit. Stops cleanly (the batch in flight commits or rolls back whole) on `requestStop`.
public final class LoaderFollower: @unchecked Sendable {
    public let url: ServiceURL
    public let settings: LoaderSettings
    public let statusFile: String?
    /// How often the files are looked at once caught up.
    public var pollInterval: Double = 1
    public var backoff = RetryBackoff()
    private let logger: Logger
    private let condition = NSCondition()
    private var stopRequested = false
    /// Counts of loaders before a reconnect.
    private var carried = LoadCounts()
    private var caughtUpAt: Double?
    private var lastTrouble: (text: String, at: Double)?
    private var failures = 0
    /// The last loader, kept through an outage for its committed positions (the backlog).
    private var lastPositions: Loader?

    /// Attempts that failed since start (connect, prepare or a pass).
    public var failedAttempts: Int { condition.withLock { failures } }

    public init(url: ServiceURL, settings: LoaderSettings, statusFile: String?, logger: Logger) {
        self.url = url
        self.settings = settings
        self.statusFile = statusFile
        self.logger = logger
    }

    /// Asks `run` to return after the batch in flight (any thread).
    public func requestStop() {
        condition.withLock {
            stopRequested = true
            condition.broadcast()
        }
    }

    private var isStopping: Bool { condition.withLock { stopRequested } }

    /// Waits `seconds` or until a stop is requested; false when stopping.
    private func pause(_ seconds: Double) -> Bool {
        let until = Date(timeIntervalSinceNow: seconds)
        return condition.withLock {
            while !stopRequested, condition.wait(until: until) {}
            return !stopRequested
        }
    }

    /// Runs until stopped; returns the exit code (0).
    public func run() -> Int32 {
        var loader: Loader?
        logger.notice("loader started", metadata: ["database": "\(url.redacted)", "data_dir": "\(settings.dataDirectory)"])
        while !isStopping {
            do throws(PostgresError) {
                if loader == nil {
                    let connection = try PostgresConnection(url: Self.connectionText(url))
                    loader = try Loader(connection: connection, settings: settings, logger: logger)
                    logger.notice("connected to PostgreSQL", metadata: ["database": "\(url.redacted)"])
                    if lastTrouble != nil { logger.notice("PostgreSQL is usable again; catching up") }
                }
                guard let current = loader else { continue }
                let pass = try current.pass(shouldStop: { self.isStopping })
                backoff.succeeded()
                lastTrouble = nil
                if pass.reachedEnd { caughtUpAt = Self.now }
                writeStatus(state: "loading", loader: current)
            } catch {
                if let loader {
                    carried.add(loader.counts)
                    // Its positions still tell how far behind the files the database is.
                    lastPositions = loader
                }
                loader = nil
                let wait = backoff.failed()
                condition.withLock { failures += 1 }
                note(error, retryIn: wait)
                writeStatus(state: "waiting", loader: nil, retryIn: wait)
                _ = pause(wait)
                continue
            }
            _ = pause(pollInterval)
        }
        if let loader {
            finalPass(loader)
            carried.add(loader.counts)
            lastPositions = loader
        }
        writeStatus(state: "stopped", loader: nil)
        logger.notice("loader stopped", metadata: ["rows_loaded": "\(carried.totalLoaded)"])
        return 0
    }

    /// How long the pass at a stop may go on starting batches (one in flight then finishes).
    public var finalPassSeconds: Double = 5

    /// At a stop, with the database reachable: one more pass, so the rows written since the last one
    /// are in the tables (under `bytebit run` the loader is stopped after the collectors, so this
    /// takes their last rows). A failure leaves them for the next start, as any outage does.
    private func finalPass(_ loader: Loader) {
        let deadline = Self.now + finalPassSeconds
        do throws(PostgresError) {
            let pass = try loader.pass(shouldStop: { Self.now > deadline })
            writeStatus(state: "loading", loader: loader)
            logger.info("final pass", metadata: ["caught_up": "\(pass.reachedEnd)"])
        } catch {
            let text = Self.redact(error.description, url: url)
            logger.warning("the final pass stopped: \(text); the rest is loaded at the next start")
        }
    }

    /// One log line when the trouble is new (not every retry of the same trouble).
    private func note(_ error: PostgresError, retryIn wait: Double) {
        let text = Self.redact(error.description, url: url)
        if lastTrouble?.text != text {
            let line = "cannot load into PostgreSQL \(url.redacted): \(text); retrying in \(Int(wait)) s, "
                + "then at most every \(Int(backoff.limit)) s"
            logger.warning("\(line)")
        }
        lastTrouble = (text, Self.now)
    }

    private func writeStatus(state: String, loader: Loader?, retryIn: Double? = nil) {
        guard let statusFile else { return }
        var counts = carried
        if let loader { counts.add(loader.counts) }
        let now = Self.now
        let backlog = (loader ?? lastPositions)?.backlog() ?? [:]
        var streams: [String: LoaderStatus.StreamLag] = [:]
        for stream in RecordedStream.allCases {
            let behind = backlog[stream] ?? (0, 0)
            let isBehind = behind.rows > 0 || behind.days > 0
            streams[LoadKey.streamName(stream)] = LoaderStatus.StreamLag(
                rowsLoaded: counts.loaded[stream] ?? 0, rowsBehind: behind.rows, daysBehind: behind.days,
                secondsBehind: isBehind ? max(0, now - (caughtUpAt ?? now)) : 0)
        }
        let status = LoaderStatus(
            state: state, database: url.redacted, pid: getpid(), updatedAt: now, streams: streams,
            rejectedRows: counts.rejected.values.reduce(0, +), lastError: lastTrouble?.text,
            lastErrorAt: lastTrouble?.at, retryInSeconds: retryIn)
        do {
            try status.write(to: statusFile)
        } catch {
            logger.debug("cannot write the status file", metadata: ["file": "\(statusFile)", "error": "\(error)"])
        }
    }

    static var now: Double { Date().timeIntervalSince1970 }

    /// The URL given to libpq: as written, plus `connect_timeout=10` unless it sets one, so an
    /// unreachable host is a retry after 10 s rather than a connect that hangs.
    public static func connectionText(_ url: ServiceURL) -> String {
        guard url.query["connect_timeout"] == nil else { return url.text }
        return url.text + (url.text.contains("?") ? "&" : "?") + "connect_timeout=10"
    }

    /// libpq never repeats a password, but a message is shown to people: make sure.
    public static func redact(_ text: String, url: ServiceURL) -> String {
        guard let password = url.password, !password.isEmpty else { return text }
        return text.replacingOccurrences(of: password, with: "***")
    }
}

extension LoadCounts {
    mutating func add(_ other: LoadCounts) {
        for (stream, count) in other.loaded { loaded[stream, default: 0] += count }
        for (stream, count) in other.rejected { rejected[stream, default: 0] += count }
    }
}
