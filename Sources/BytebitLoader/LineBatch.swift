/// File lines read for one batch, copied out of the reader's buffer, with their file and line number.
struct LineBatch {
    /// A line's file and 1-based line number (the header is line 1).
    struct Origin: Sendable, Equatable {
        var path: String
        var line: Int64
    }

    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private(set) var origins: [Origin] = []

    var count: Int { ends.count }
    var byteCount: Int { bytes.count }

    mutating func append(line: UnsafeBufferPointer<UInt8>, path: String, fileLine: Int64) {
        bytes.append(contentsOf: line)
        ends.append(bytes.count)
        origins.append(Origin(path: path, line: fileLine))
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        origins.removeAll(keepingCapacity: true)
    }

    func withLine<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let start = index == 0 ? 0 : ends[index - 1]
        return bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[start..<ends[index]]))
        }
    }

    func text(_ index: Int) -> String { withLine(index) { String(decoding: $0, as: UTF8.self) } }
}

/// One key's batch as COPY rows (text or binary format, `CopyRows.isBinary`): row `i` is
/// `text[rowEnds[i-1]..<rowEnds[i]]`, from `origins[i]` (batch line `lines[i]`); `rejects` are lines
/// that were not valid rows.
struct CopyBatch {
    struct Reject {
        var origin: LineBatch.Origin
        var reason: String
        var text: String
    }

    let key: LoadKey
    var text: [UInt8] = []
    var rowEnds: [Int] = []
    var origins: [LineBatch.Origin] = []
    var lines: [Int] = []
    var rejects: [Reject] = []
    var lastReceivedAt: Int64?
    var batch = LineBatch()

    var rowCount: Int { rowEnds.count }

    /// The COPY text of rows `range`.
    func text(rows range: Range<Int>) -> ArraySlice<UInt8> {
        let start = range.lowerBound == 0 ? 0 : rowEnds[range.lowerBound - 1]
        let end = range.isEmpty ? start : rowEnds[range.upperBound - 1]
        return text[start..<end]
    }
}
