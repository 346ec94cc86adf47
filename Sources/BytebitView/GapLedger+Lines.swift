/// Feeding the ledger straight from a scanned events line (view's summary and list share this).
extension GapLedger {
    /// Parses one events row and records it; a corrupt row is rejected for the scanner to report.
    mutating func record(line: UnsafeBufferPointer<UInt8>) -> RecordScanner.Verdict {
        switch eventRow(line) {
        case let .success(event):
            record(event)
            return .accepted
        case let .failure(defect):
            return .rejected(defect)
        }
    }
}
