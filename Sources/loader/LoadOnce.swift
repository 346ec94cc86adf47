import BytebitCore
import BytebitLoader
import Foundation
import Logging

/// `bytebit load`: one pass over the days on disk, then a summary line. Idempotent: days already
/// loaded are skipped by their positions, so a second run loads nothing.
struct LoadOnce {
    let url: ServiceURL
    let settings: LoaderSettings
    let showsProgress: Bool
    let logger: Logger

    func run() -> Int32 {
        let started = Date()
        let loader: Loader
        do {
            let connection = try PostgresConnection(url: LoaderFollower.connectionText(url))
            loader = try Loader(connection: connection, settings: settings, logger: logger)
            // More connections only speed a back-fill up: without them it is slower, not wrong.
            loader.spareConnections = (1..<max(1, settings.backfillConnections)).compactMap { _ in
                try? PostgresConnection(url: LoaderFollower.connectionText(url))
            }
        } catch {
            let text = LoaderFollower.redact("\(error)", url: url)
            FileHandle.standardError.write(Data("loader: cannot use PostgreSQL \(url.redacted): \(text)\n".utf8))
            return ExitStatus.temporaryFailure.rawValue
        }
        let isTerminal = showsProgress && isatty(STDERR_FILENO) == 1
        var rowsSoFar = 0
        if isTerminal {
            loader.progress = { key, rows in
                rowsSoFar += rows
                let rate = Double(rowsSoFar) / max(Date().timeIntervalSince(started), 0.001)
                let line = "\r\u{1B}[K\(key): \(rowsSoFar) rows (\(Int(rate)) rows/s)"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        let stop = StopFlag()
        let stops = StopSignals()
        stops.start { _ in stop.set() }
        do {
            _ = try withExtendedLifetime(stops) { () throws(PostgresError) -> Loader.Pass in
                try loader.pass(shouldStop: { stop.isSet })
            }
        } catch {
            if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
            let text = LoaderFollower.redact("\(error)", url: url)
            FileHandle.standardError.write(Data("loader: PostgreSQL \(url.redacted): \(text); loaded rows stay loaded, run it again to go on\n".utf8))
            return ExitStatus.temporaryFailure.rawValue
        }
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        let counts = loader.counts
        let seconds = Date().timeIntervalSince(started)
        let rejected = counts.rejected.values.reduce(0, +)
        print("loaded \(counts.totalLoaded) rows (orderbook \(counts.loaded[.orderBook] ?? 0), trades "
            + "\(counts.loaded[.trades] ?? 0), events \(counts.loaded[.events] ?? 0)) in "
            + String(format: "%.1f", seconds) + " s" + (rejected > 0 ? ", \(rejected) rows rejected (see bytebit_load_rejects)" : ""))
        return stop.isSet ? ExitStatus.temporaryFailure.rawValue : ExitStatus.clean.rawValue
    }
}

/// A flag set from a signal handler's queue and read by the loading thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
