import Foundation

/// The files a collector wrote for one pair, read back as CSV cells.
struct RecordedMarket {
    let directory: URL

    init(dataDirectory: URL, pair: String) {
        directory = dataDirectory.appendingPathComponent(pair)
    }

    /// The data rows (header checked and dropped) of every file of `kind`, oldest day first.
    func rows(_ kind: String) throws -> [[String]] {
        try files(kind).flatMap { try Self.rows(of: $0) }
    }

    /// The plain files of `kind` (`orderbook`, `trades`, `events`), sorted by name (= by day).
    func files(_ kind: String) throws -> [URL] {
        let folder = directory.appendingPathComponent(kind)
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "csv" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// How many data rows of `kind` exist now (cheap enough to poll).
    func count(_ kind: String) -> Int {
        ((try? rows(kind)) ?? []).count
    }

    /// Events as (event, detail) pairs in file order.
    func events() throws -> [(time: String, name: String, detail: String)] {
        try rows("events").map { ($0[0], $0[1], $0.count > 2 ? $0[2] : "") }
    }

    /// A file's rows: every line must end with a newline (no torn row) and have the header's
    /// number of cells.
    static func rows(of file: URL) throws -> [[String]] {
        let text = try String(contentsOf: file, encoding: .utf8)
        guard !text.isEmpty else { return [] }
        guard text.hasSuffix("\n") else { throw RecordingProblem("\(file.lastPathComponent) ends with a torn row") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(Self.cells)
        let header = lines.removeFirst()
        // Kraken's candles (ohlc/) start with `interval_begin`, every other stream with `timestamp`.
        guard header.first == "timestamp" || header.first == "interval_begin" else { throw RecordingProblem("\(file.lastPathComponent) has no header") }
        for (number, line) in lines.enumerated() where line.count != header.count {
            throw RecordingProblem("\(file.lastPathComponent):\(number + 2) has \(line.count) cells, header \(header.count)")
        }
        return lines
    }

    /// CSV cells, with RFC 4180 quotes.
    static func cells(_ line: Substring) -> [String] {
        var cells: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch (character, quoted) {
            case ("\"", true):
                if let next = iterator.next() {
                    if next == "\"" { current.append("\"") } else {
                        quoted = false
                        if next == "," { cells.append(current); current = "" } else { current.append(next) }
                    }
                } else {
                    quoted = false
                }
            case ("\"", false) where current.isEmpty: quoted = true
            case (",", false): cells.append(current); current = ""
            default: current.append(character)
            }
        }
        cells.append(current)
        return cells
    }
}

/// Something in the recorded files that must never happen.
struct RecordingProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A config.yaml for one test, pointing at the simulator.
func writeConfig(in directory: URL, url: String, defaults: String = "", markets: String, extra: String = "") throws -> URL {
    let file = directory.appendingPathComponent("config.yaml")
    let text = """
        data_dir: data
        log_dir: logs
        log_level: debug
        flush_interval: 100ms
        \(extra)
        kraken:
          url: \(url)
        defaults:
        \(defaults.isEmpty ? "  depth: 10" : defaults)
        markets:
        \(markets)

        """
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file
}
