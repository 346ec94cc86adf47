/// What the row writers (`OrderBookRowWriter`, `TradeRowWriter`) share: a scratch buffer kept
/// between rows (no zero fill, no allocation per row) and the text of the two timestamps every row
/// starts with, reused up to the second (`TimestampTextCache`). A row is written into the scratch,
/// then appended to the batch's bytes with one copy.
struct RowScratch: Sendable {
    private var scratch: [UInt8] = []
    private var timestampText = TimestampTextCache()
    private var receivedAtText = TimestampTextCache()

    /// Appends to `bytes` one row of at most `room` bytes: `timestamp,receivedAt`, then what `rest`
    /// writes from the cursor after them (`base`: the row's first byte), returning where it ended.
    @inline(__always)
    mutating func appendRow(
        to bytes: inout [UInt8], room: Int, timestamp: UTCTimestamp, receivedAt: UTCTimestamp,
        rest: (_ base: UnsafeMutablePointer<UInt8>, _ cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>
    ) {
        let room = room + 2 * (UTCTimestamp.textLength + 1)
        if scratch.count < room { scratch = Array(repeating: 0, count: room) }
        var timestampText = self.timestampText
        var receivedAtText = self.receivedAtText
        let written = scratch.withUnsafeMutableBufferPointer { buffer -> Int in
            let base = buffer.baseAddress.unsafelyUnwrapped
            var cursor = base
            cursor += timestampText.write(timestamp, to: cursor)
            cursor.pointee = CSVText.comma
            cursor += 1
            cursor += receivedAtText.write(receivedAt, to: cursor)
            return rest(base, cursor) - base
        }
        self.timestampText = timestampText
        self.receivedAtText = receivedAtText
        scratch.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<written])) }
    }
}
