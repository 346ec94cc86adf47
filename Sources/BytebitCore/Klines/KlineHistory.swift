import Foundation

/// Feeds a pair's recorded files into a `KlineBuilder` in the order the live recorder met them: its
/// trades (by `received_at`, in file order), the ledger rows that open trade-feed gaps (`started`,
/// `disconnected`, `stale`, `stopped`) and the price precisions of `pair.csv`. `bytebit klines`
/// rebuilds a day this way; a restarted collector rebuilds its open candles this way. Same inputs,
/// same code, same bytes.
public struct KlineHistory {
    /// What a replay read.
    public struct Outcome: Sendable, Equatable {
        /// Trade rows fed to the builder.
        public var trades = 0
        /// Rows that did not parse (a torn or corrupt line), left out.
        public var corruptRows = 0
        /// The files read, for messages.
        public var files: [String] = []
        public init() {}
    }

    /// The ledger events that open a gap in the trade feed.
    public static func opensTradeGap(_ event: LedgerEvent) -> Bool {
        switch event {
        case .disconnected, .stale, .stopped, .started: true
        default: false
        }
    }

    let dataDirectory: String
    let pair: String

    public init(dataDirectory: String, pair: String) {
        self.dataDirectory = dataDirectory
        self.pair = pair
    }

    /// Feeds the files of `days` (UTC day numbers, ascending) into `builder`, every input at or
    /// before `horizon` (nil: all of them). Throws only when a file exists but cannot be read.
    /// `finished` gets the candles the builder finishes along the way (nil: they stay in the builder,
    /// for `takeFinished()`).
    @discardableResult
    public func replay(
        days: [Int64], into builder: inout KlineBuilder, horizon: UTCTimestamp? = nil,
        finished: (([KlineRecord]) -> Void)? = nil
    ) throws -> Outcome {
        var outcome = Outcome()
        let limit = horizon?.microseconds ?? Int64.max
        var marks = try precisionMarks()
        for day in days { marks += try gapMarks(day: day, outcome: &outcome) }
        marks = marks.filter { $0.time <= limit }
        // Stable: equal times keep precision before events, events in file order.
        marks = marks.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        var next = 0
        func apply(_ mark: Mark) {
            switch mark.kind {
            case .precision(let value): builder.setPricePrecision(value, at: UTCTimestamp(microsecondsSince1970: mark.time))
            case .gap: builder.noteGap(at: UTCTimestamp(microsecondsSince1970: mark.time))
            case .restart: builder.noteRestart(at: UTCTimestamp(microsecondsSince1970: mark.time))
            }
        }
        var reachedHorizon = false
        for day in days where !reachedHorizon {
            for name in DailyFileName.existing(dataDirectory: dataDirectory, pair: pair, kind: .trades) where name.day == day {
                let path = name.path(dataDirectory: dataDirectory, pair: pair)
                outcome.files.append(path)
                let bytes = try Self.contents(of: name, path: path)
                let corrupt = KlineTradeRows.forEach(in: bytes) { trade in
                    if trade.receivedAt.microseconds > limit {
                        reachedHorizon = true
                        return false
                    }
                    while next < marks.count, marks[next].comesBefore(trade) {
                        apply(marks[next])
                        next += 1
                    }
                    builder.add(trade)
                    outcome.trades += 1
                    if let finished, builder.hasFinished { finished(builder.takeFinished()) }
                    return true
                }
                outcome.corruptRows += corrupt
                if reachedHorizon { break }
            }
        }
        while next < marks.count {
            apply(marks[next])
            next += 1
        }
        if let finished, builder.hasFinished { finished(builder.takeFinished()) }
        return outcome
    }

    // MARK: - Inputs

    struct Mark {
        enum Kind {
            case precision(Int)
            case gap
            case restart
        }
        var time: Int64
        var kind: Kind

        /// Whether the recorder met this row before `trade`. At the same instant a `started` row (and a
        /// precision) came first: the run begins before its trades; `disconnected`, `stale` and
        /// `stopped` came after: a connection ends, or a tick finds it silent, after its last frame.
        func comesBefore(_ trade: KlineBuilder.Trade) -> Bool {
            if case .gap = kind { return time < trade.receivedAt.microseconds }
            return time <= trade.receivedAt.microseconds
        }
    }

    private func precisionMarks() throws -> [Mark] {
        try PairMetadata.read(dataDirectory: dataDirectory, pair: pair).map { entry in
            Mark(time: entry.since.microseconds, kind: .precision(entry.pricePrecision))
        }
    }

    private func gapMarks(day: Int64, outcome: inout Outcome) throws -> [Mark] {
        var marks: [Mark] = []
        for name in DailyFileName.existing(dataDirectory: dataDirectory, pair: pair, kind: .events) where name.day == day {
            let path = name.path(dataDirectory: dataDirectory, pair: pair)
            let bytes = try Self.contents(of: name, path: path)
            for line in bytes.split(separator: CSVText.newline, omittingEmptySubsequences: true) {
                let cells = line.split(separator: CSVText.comma, maxSplits: 2, omittingEmptySubsequences: false)
                guard cells.count >= 2, let event = LedgerEvent(rawValue: String(decoding: cells[1], as: UTF8.self)),
                      Self.opensTradeGap(event), let time = UTCTimestamp(rfc3339: cells[0])
                else { continue }
                marks.append(Mark(time: time.microseconds, kind: event == .started ? .restart : .gap))
            }
        }
        return marks
    }

    /// The whole file, decompressed when it is gzip.
    static func contents(of name: DailyFileName, path: String) throws -> [UInt8] {
        if name.isCompressed {
            var bytes: [UInt8] = []
            try Gzip.decompress(path: path) { chunk in
                bytes.append(contentsOf: chunk)
                return true
            }
            return bytes
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            if access(path, F_OK) != 0 { return [] }
            throw StorageError.cannotRead(path: path, errno: errno)
        }
        return [UInt8](data)
    }
}
