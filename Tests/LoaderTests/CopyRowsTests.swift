import BytebitCore
import BytebitLoader
import BytebitView
import Testing

@Suite struct CopyRowsTests {
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
        let (text, defect) = copyText({ rows, line, out in
            rows.appendBook(line: line, layout: BookLayout(levels: 2), pair: Array("BTC-USD".utf8), type: .snapshot, to: &out)
        }, line: line)
        #expect(defect == nil)
        #expect(text == "2026-11-21T00:00:01.000000Z\t2026-11-21T00:00:01.000100Z\tBTC-USD\tsnapshot\t"
            + "[[\"67321.1\",\"0.50000000\"],[\"67320.0\",\"1.5\"]]\t[[\"67321.2\",\"0.10000000\"],[\"67322.0\",\"2.0\"]]\t67321.15\n")
    }

    @Test func aShortSideEndsItsArrayAndAMissingMidIsNull() {
        let line = "2026-11-21T00:00:01.000000Z,2026-11-21T00:00:01.000100Z,,,,,,0.10000000,67321.2,,"
        let (text, defect) = copyText({ rows, line, out in
            rows.appendBook(line: line, layout: BookLayout(levels: 2), pair: Array("X-Y".utf8), type: .update, to: &out)
        }, line: line)
        #expect(defect == nil)
        #expect(text.hasSuffix("\tupdate\t[]\t[[\"67321.2\",\"0.10000000\"]]\t\\N\n"))
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
        let (text, defect) = copyText({ rows, line, out in rows.appendTrade(line: line, pair: Array("BTC-USD".utf8), to: &out) },
                                      line: line)
        #expect(defect == nil)
        #expect(text == "2026-11-21T00:00:01.500000Z\t2026-11-21T00:00:01.500100Z\tBTC-USD\t1001\t67321.2\t0.10000000\tbuy\tmarket\n")
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
