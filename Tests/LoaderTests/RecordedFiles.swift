import BytebitCore
import Foundation

/// Writes bytebit data files by hand for the loader's tests (the formats of SPEC §4; the collector's
/// own files are used by the end-to-end tests).
struct RecordedFiles {
    let dataDirectory: URL

    static func make() throws -> RecordedFiles {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-loader-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return RecordedFiles(dataDirectory: url)
    }

    func path(pair: String, stream: RecordedStream, date: String, layoutFolder: String? = nil, gzip: Bool = false) -> String {
        let folder = dataDirectory.appendingPathComponent(pair).appendingPathComponent(stream.folderName).path
            + (layoutFolder.map { "/" + $0 } ?? "")
        return "\(folder)/\(stream.fileStem)\(date).csv\(gzip ? ".gz" : "")"
    }

    /// Appends `text` to a file, creating it (and its folders) with the stream's header first.
    func append(_ text: String, pair: String, stream: RecordedStream, date: String, levels: Int = 0, layoutFolder: String? = nil) throws {
        let path = path(pair: pair, stream: stream, date: date, layoutFolder: layoutFolder)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            let header = StreamLayout(stream: stream, levels: levels).header
            FileManager.default.createFile(atPath: path, contents: Data(header))
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// Compresses a plain day file as the collector's compressor does (`gzip`, the plain file removed).
    func compress(pair: String, stream: RecordedStream, date: String) throws {
        let path = path(pair: pair, stream: stream, date: date)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-n", path]
        try process.run()
        process.waitUntilExit()
    }

    /// Compresses the late-rows plain file beside a `.gz` into it as one more gzip member (its header
    /// dropped), as the compressor does.
    func appendLateRowsToGzip(pair: String, stream: RecordedStream, date: String) throws {
        let plain = path(pair: pair, stream: stream, date: date)
        let text = try String(contentsOfFile: plain, encoding: .utf8)
        let body = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let member = dataDirectory.appendingPathComponent("member.csv").path
        try body.write(toFile: member, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -n -c '\(member)' >> '\(plain).gz' && rm '\(plain)' '\(member)'"]
        try process.run()
        process.waitUntilExit()
    }

    /// `count` trade rows from trade id `firstID`, one a second from `start` seconds into the day.
    static func trades(date: String, firstID: Int, count: Int, start: Int = 0) -> String {
        (0..<count).map { index in
            let second = start + index
            let time = "\(date)T\(clock(second)).\(String(format: "%06d", index % 1_000_000))Z"
            let side = index % 3 == 0 ? "sell" : "buy"
            return "\(time),\(time),\(firstID + index),\(side),6732\(index % 10).\(index % 7)0,0.\(String(format: "%08d", index * 1234 % 100_000_000)),limit\n"
        }.joined()
    }

    /// One book row with `levels` levels a side (bids deepest first, as the file has them).
    static func bookRow(time: String, receivedAt: String, levels: Int, seed: Int, bidLevels: Int? = nil) -> String {
        let bids = (1...levels).map { level -> String in
            guard level <= (bidLevels ?? levels) else { return "," }
            return "\(seed + level).5000000\(level % 10),6732\(9 - level % 10).\(seed % 10)"
        }
        let asks = (1...levels).map { level in "0.\(String(format: "%08d", seed * level)),6733\(level % 10).\(seed % 10)" }
        let mid = bidLevels == 0 ? "" : "67330.00"
        return ([time, receivedAt] + bids.reversed() + [mid] + asks).joined(separator: ",") + "\n"
    }

    static func clock(_ second: Int) -> String {
        String(format: "%02d:%02d:%02d", (second / 3600) % 24, (second / 60) % 60, second % 60)
    }
}
