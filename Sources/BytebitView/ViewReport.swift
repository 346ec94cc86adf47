import BytebitCore

/// What a `view` run did: rows shown and rows skipped as corrupt.
public struct ViewReport: Sendable, Equatable {
    public var rowsShown = 0
    /// The first corrupt rows, with file and line.
    public var corruptRows: [CorruptRow] = []
    /// All corrupt rows seen (the list above is capped).
    public var corruptRowCount = 0
    /// What the output leaves out of what was asked (e.g. fewer levels in the file than --levels), for stderr.
    public var notes: [String] = []

    public init() {}

    /// Clean, or `dataError` (65, EX_DATAERR) when corrupt rows were skipped.
    public var exitStatus: ExitStatus { corruptRowCount > 0 ? .dataError : .clean }

    mutating func absorb(_ scanner: RecordScanner) {
        let found = scanner.takeCorruptRows()
        corruptRowCount += found.count
        corruptRows += found.rows.prefix(max(RecordScanner.corruptRowLimit - corruptRows.count, 0))
    }
}
