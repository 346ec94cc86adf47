/// What a `view` run did: rows shown and rows skipped as corrupt.
public struct ViewReport: Sendable, Equatable {
    public var rowsShown = 0
    /// The first corrupt rows, with file and line.
    public var corruptRows: [CorruptRow] = []
    /// All corrupt rows seen (the list above is capped).
    public var corruptRowCount = 0

    public init() {}

    /// 0, or 65 (EX_DATAERR) when corrupt rows were skipped.
    public var exitCode: Int32 { corruptRowCount > 0 ? ViewExitCode.corruptRowsSkipped : ViewExitCode.success }

    mutating func absorb(_ scanner: RecordScanner) {
        let found = scanner.takeCorruptRows()
        corruptRowCount += found.count
        corruptRows += found.rows.prefix(max(RecordScanner.corruptRowLimit - corruptRows.count, 0))
    }
}
