/// The events ledger's layout (SPEC §4.3): `timestamp,event,detail`.
public enum EventCSV {
    /// The header line with its newline (the columns are `RecordedStream.events`').
    public static let header: [UInt8] = StreamLayout(stream: .events).header

    /// The event written once writing works again after rows were lost (full disk, unwritable folder,
    /// writer backlog); its timestamp is the first lost row's time.
    public static let writeFailedEvent = LedgerEvent.writeFailed.name

    /// Appends one row with its newline; `event` and `detail` are CSV-quoted when they hold a comma,
    /// a quote or a line break.
    public static func appendRow(to bytes: inout [UInt8], timestamp: UTCTimestamp, event: String, detail: String) {
        timestamp.appendText(to: &bytes)
        bytes.append(CSVText.comma)
        CSVText.appendField(event, to: &bytes)
        bytes.append(CSVText.comma)
        CSVText.appendField(detail, to: &bytes)
        bytes.append(CSVText.newline)
    }
}
