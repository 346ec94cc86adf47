import BytebitCore
import BytebitLoader
import BytebitView
import Testing

@Suite struct CopyRowsTests {
    /// The fields of one binary COPY tuple (nil for NULL); nil when the bytes are not exactly one tuple.
    private func binaryFields(_ bytes: [UInt8]) -> [[UInt8]?]? {
        func integer(_ at: Int, _ width: Int) -> Int? {
            guard at + width <= bytes.count else { return nil }
            return bytes[at..<(at + width)].reduce(0) { $0 << 8 | Int($1) }
        }
        guard let count = integer(0, 2) else { return nil }
        var fields: [[UInt8]?] = []
        var at = 2
        for _ in 0..<count {
            guard let length = integer(at, 4) else { return nil }
            at += 4
            if length == 0xFFFF_FFFF {
                fields.append(nil)
                continue
            }
            guard at + length <= bytes.count else { return nil }
            fields.append(Array(bytes[at..<(at + length)]))
            at += length
        }
        return at == bytes.count ? fields : nil
    }

    /// A binary timestamp field as RFC 3339 text.
    private func timestamp(_ field: [UInt8]??) -> String? {
        guard let field = field ?? nil, field.count == 8 else { return nil }
        let sincePostgresEpoch = Int64(bitPattern: UInt64(field.reduce(0) { $0 << 8 | UInt64($1) }))
        return UTCTimestamp(microsecondsSince1970: sincePostgresEpoch + 946_684_800_000_000).description
    }

    private func text(_ field: [UInt8]??) -> String? { (field ?? nil).map { String(decoding: $0, as: UTF8.self) } }

    private func copyBytes(_ body: (inout CopyRows, UnsafeBufferPointer<UInt8>, inout [UInt8]) -> RowDefect?, line: String)
        -> ([UInt8], RowDefect?) {
        var rows = CopyRows()
        var out: [UInt8] = []
        let bytes = Array(line.utf8)
        let defect = bytes.withUnsafeBufferPointer { body(&rows, $0, &out) }
        return (out, defect)
    }

    private func copyText(_ body: (inout CopyRows, UnsafeBufferPointer<UInt8>, inout [UInt8]) -> RowDefect?, line: String)
        -> (String, RowDefect?) {
        var rows = CopyRows()
        var out: [UInt8] = []
        let bytes = Array(line.utf8)
        let defect = bytes.withUnsafeBufferPointer { body(&rows, $0, &out) }
        return (String(decoding: out, as: UTF8.self), defect)
    }

    @Test func bookRowKeepsTheFilesTextBestLevelFirstPriceThenQuantity() {
        let line = "2026-11-21T00:00:01.000000Z,2026-11-21T00:00:01.000100Z,1.5,67320.0,0.50000000,67321.1,67321.15,"
            + "0.10000000,67321.2,2.0,67322.0"
        let (bytes, defect) = copyBytes({ rows, line, out in
            rows.appendBook(line: line, layout: BookLayout(levels: 2), pair: Array("BTC-USD".utf8), type: .snapshot, to: &out)
        }, line: line)
        #expect(defect == nil)
        let fields = binaryFields(bytes)
        #expect(fields?.count == 7)
        #expect(timestamp(fields?[0]) == "2026-11-21T00:00:01.000000Z")
        #expect(timestamp(fields?[1]) == "2026-11-21T00:00:01.000100Z")
        #expect(text(fields?[2]) == "BTC-USD")
        #expect(text(fields?[3]) == "snapshot")
        // JSONB: format version 1, then the JSON text.
        #expect(fields?[4]?.first == 1)
        #expect(text(fields?[4]).map { String($0.dropFirst()) } == "[[\"67321.1\",\"0.50000000\"],[\"67320.0\",\"1.5\"]]")
        #expect(text(fields?[5]).map { String($0.dropFirst()) } == "[[\"67321.2\",\"0.10000000\"],[\"67322.0\",\"2.0\"]]")
        // numeric 67321.15: groups 6, 7321, 1500 (base 10,000), weight 1, positive, 2 places.
        #expect(fields?[6] == [0, 3, 0, 1, 0, 0, 0, 2, 0, 6, 0x1C, 0x99, 0x05, 0xDC])
    }

    @Test func aShortSideEndsItsArrayAndAMissingMidIsNull() {
        let line = "2026-11-21T00:00:01.000000Z,2026-11-21T00:00:01.000100Z,,,,,,0.10000000,67321.2,,"
        let (bytes, defect) = copyBytes({ rows, line, out in
            rows.appendBook(line: line, layout: BookLayout(levels: 2), pair: Array("X-Y".utf8), type: .update, to: &out)
        }, line: line)
        #expect(defect == nil)
        let fields = binaryFields(bytes)
        #expect(text(fields?[3]) == "update")
        #expect(text(fields?[4]).map { String($0.dropFirst()) } == "[]")
        #expect(text(fields?[5]).map { String($0.dropFirst()) } == "[[\"67321.2\",\"0.10000000\"]]")
        #expect(fields?.count == 7 && fields?[6] == nil)
    }

    @Test func aBookLineThatIsNotARowIsADefectAndAddsNothing() {
        for line in ["2026-11-21T00:00:01.000000Z,2026-11-21T00:00:01.000100Z,1.5,67320.0,0.5,67321.1,1e5,0.1,67321.2,2.0,67322.0",
                     "2026-11-21T00:00:01.000000Z,2026-11-21T00:00:01.000100Z,1.5,67320.0"] {
            let (text, defect) = copyText({ rows, line, out in
                rows.appendBook(line: line, layout: BookLayout(levels: 2), pair: [], type: .update, to: &out)
            }, line: line)
            #expect(defect != nil)
            #expect(text.isEmpty)
        }
    }

    @Test func tradeRowInTableOrder() {
        let line = "2026-11-21T00:00:01.500000Z,2026-11-21T00:00:01.500100Z,1001,buy,67321.2,0.10000000,market"
        let (bytes, defect) = copyBytes({ rows, line, out in rows.appendTrade(line: line, pair: Array("BTC-USD".utf8), to: &out) },
                                      line: line)
        #expect(defect == nil)
        let fields = binaryFields(bytes)
        #expect(fields?.count == 8)
        #expect(timestamp(fields?[0]) == "2026-11-21T00:00:01.500000Z")
        #expect(timestamp(fields?[1]) == "2026-11-21T00:00:01.500100Z")
        #expect(text(fields?[2]) == "BTC-USD")
        #expect(fields?[3] == [0, 0, 0, 0, 0, 0, 0x03, 0xE9])
        // 67321.2: groups 6, 7321, 2000, weight 1, 1 place; 0.10000000: group 1000, weight -1, 8 places.
        #expect(fields?[4] == [0, 3, 0, 1, 0, 0, 0, 1, 0, 6, 0x1C, 0x99, 0x07, 0xD0])
        #expect(fields?[5] == [0, 1, 0xFF, 0xFF, 0, 0, 0, 8, 0x03, 0xE8])
        #expect(text(fields?[6]) == "buy")
        #expect(text(fields?[7]) == "market")
        let (_, bad) = copyText({ rows, line, out in rows.appendTrade(line: line, pair: [], to: &out) },
                                line: "2026-11-21T00:00:01.500000Z,2026-11-21T00:00:01.500100Z,1001,up,1,1,market")
        #expect(bad != nil)
    }

    @Test func eventDetailIsUnquotedAndEscapedForCopy() {
        let line = "2026-11-21T00:00:00.500000Z,rejected,\"a \"\"quoted\"\", text\twith\\tab\""
        let (text, defect) = copyText({ rows, line, out in rows.appendEvent(line: line, pair: Array("BTC-USD".utf8), to: &out) },
                                      line: line)
        #expect(defect == nil)
        #expect(text == "2026-11-21T00:00:00.500000Z\tBTC-USD\trejected\ta \"quoted\", text\\twith\\\\tab\n")
    }
}
