/// Rows that could not be written, accumulated until writing works again and the loss can be recorded
/// as one `write_failed` row in the events ledger.
struct WriteLoss: Sendable, Equatable {
    var firstTime: Int64
    var lastTime: Int64
    var rowsByStream = StreamCounts()
    var fileNames: [String] = []
    var reason: String

    init(kind: RecordedStream, times: ArraySlice<Int64>, fileName: String?, reason: String) {
        firstTime = times.min() ?? 0
        lastTime = times.max() ?? 0
        self.reason = reason
        rowsByStream[kind] = times.count
        if let fileName { fileNames = [fileName] }
    }

    var rowCount: Int { rowsByStream.total }

    /// Folds a later loss into this one (the newest reason wins).
    mutating func merge(_ other: WriteLoss) {
        firstTime = min(firstTime, other.firstTime)
        lastTime = max(lastTime, other.lastTime)
        rowsByStream.add(other.rowsByStream)
        for name in other.fileNames where !fileNames.contains(name) { fileNames.append(name) }
        reason = other.reason
    }

    /// The ledger row's detail: what failed, which files, how many rows of each kind, from when to when.
    var detail: String {
        let from = UTCTimestamp(microsecondsSince1970: firstTime)
        let to = UTCTimestamp(microsecondsSince1970: lastTime)
        // The three streams of every pair always; the optional ones (ticker, ohlc) when they lost rows.
        let kinds = RecordedStream.allCases.filter { [.orderBook, .trades, .events].contains($0) || rowsByStream[$0] > 0 }
            .map { "\($0) \(rowsByStream[$0])" }.joined(separator: ", ")
        let files = fileNames.isEmpty ? "none" : fileNames.joined(separator: " ")
        return "\(rowCount) rows lost (\(kinds)) from \(from) to \(to); files: \(files); error: \(reason)"
    }
}
