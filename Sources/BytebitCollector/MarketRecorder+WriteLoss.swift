import BytebitCore
import Logging

/// Rows lost to the disk are loud: the status file says so (`StatusReporter`), and so does the log.
extension MarketRecorder {
    /// While the disk refuses rows: a `warning` at once, then one a minute, on the injected clock (the
    /// writer thread also logs an error when a failure begins or its error changes).
    func warnIfLosingRows(_ counters: RecordWriterCounters, now: UTCTimestamp) {
        guard lossWarning.isDue(isLosingRows: counters.isLosingRows, now: now) else { return }
        logger.warning("rows are being lost: cannot write data files", metadata: [
            "market": "\(settings.market.pair.name)", "storage.rows_lost": "\(counters.rowsDropped)",
            "error": "\(counters.lastError ?? "unknown")",
            "data_dir": "\(settings.config.dataDirectory)",
        ])
    }
}
