import CZlib
import Foundation
import Testing
@testable import BytebitView
import BytebitCore

/// The line reader under the viewer: plain and gzip alike, CRLF, concatenated gzip members, huge lines.
@Suite struct ViewLineReaderTests {
    private static func lines(of path: String, bufferSize: Int = 1 << 20) throws -> [String] {
        let reader = try LineReader(path: path, bufferSize: bufferSize)
        var lines: [String] = []
        try reader.forEachLine { line, position in
            lines.append("\(position.lineNumber ?? -1):\(String(decoding: line, as: UTF8.self))")
            return true
        }
        if let tail = reader.pendingTail { lines.append("tail:\(String(decoding: tail.bytes, as: UTF8.self))") }
        return lines
    }

    @Test func crlfLinesAndATornTailAreSeparated() throws {
        let data = try ViewDataDirectory()
        let path = try data.write("a,b\r\nc,d\ne", kind: .events)
        #expect(try Self.lines(of: path) == ["1:a,b", "2:c,d", "tail:e"])
    }

    @Test func concatenatedGzipMembersReadAsOneFile() throws {
        let data = try ViewDataDirectory()
        let path = try data.write("h\n1\n", kind: .events, gzip: true)
        // A second member appended, as a crash-safe compressor may leave it.
        let second = path + ".part"
        guard let file = gzopen(second, "wb") else { throw CocoaError(.fileWriteUnknown) }
        _ = gzwrite(file, "2\n3\n", 4)
        gzclose(file)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: try #require(FileManager.default.contents(atPath: second)))
        try handle.close()
        #expect(try Self.lines(of: path) == ["1:h", "2:1", "3:2", "4:3"])
    }

    @Test func aHugeLineIsCutAndTheNextLineStillRead() throws {
        let data = try ViewDataDirectory()
        let path = try data.write("h\n" + String(repeating: "x", count: 20_000) + "\nok\n", kind: .events)
        let reader = try LineReader(path: path, bufferSize: 4096, maximumLineLength: 4096)
        var lengths: [Int] = []
        var last = ""
        var offsets: [Int64] = []
        try reader.forEachLine { line, position in
            lengths.append(line.count)
            offsets.append(position.byteOffset)
            last = String(decoding: line, as: UTF8.self)
            return true
        }
        #expect(lengths == [1, 4096, 2])
        #expect(offsets == [0, 2, 20_003])
        #expect(last == "ok")
    }

    @Test func plainFileStartsAtAnOffsetWithoutLineNumbers() throws {
        let data = try ViewDataDirectory()
        let path = try data.write("h\nab\ncd\n", kind: .events)
        let reader = try LineReader(path: path, offset: 5)
        var seen: [String] = []
        try reader.forEachLine { line, position in
            seen.append("\(position):\(String(decoding: line, as: UTF8.self))")
            return true
        }
        #expect(seen == ["byte offset 5:cd"])
    }
}
