import BytebitCore
import BytebitView
import CZlib
import Foundation

/// `bytebit view` throughput: generates a 1,000,000-row trade day and a 1,000,000-row 25-level order
/// book day (≈ 1 GB) in `directory`, plain and gzip, and prints rows/s for `view --format csv` and
/// `--summary`, the time of a `--from/--to` window near the end of the book file, and peak RSS.
/// Call from main.swift: `try runViewBenchmark(directory: "/tmp/bytebit-view-bench")`.
func runViewBenchmark(directory: String, rows: Int = 1_000_000, levels: Int = 25) throws {
    let data = DataDirectory(path: directory)
    let pair = "BENCH-USD"
    let date = "2026-11-21"
    guard let day = CalendarDate(date) else { return }
    try FileManager.default.createDirectory(atPath: "\(directory)/\(pair)/trades", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: "\(directory)/\(pair)/orderbook", withIntermediateDirectories: true)
    let tradePath = "\(directory)/\(pair)/trades/trade_data_\(date).csv"
    let bookPath = "\(directory)/\(pair)/orderbook/orderbook_data_\(date).csv"
    let started = Date()
    try ViewBenchmarkData.writeTrades(rows: rows, day: day, path: tradePath)
    try ViewBenchmarkData.writeBook(rows: rows, levels: levels, day: day, path: bookPath)
    print("generated \(rows) trade rows (\(ViewBenchmarkData.megabytes(tradePath)) MB) and \(rows) \(levels)-level book rows "
        + "(\(ViewBenchmarkData.megabytes(bookPath)) MB) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")

    let devNull = open("/dev/null", O_WRONLY)
    defer { close(devNull) }
    let runner = ViewRunner(dataDirectory: data, style: TerminalStyle(width: 120, usesColour: false))
    func measure(_ label: String, rows: Int, _ request: ViewRequest) throws {
        let output = ViewOutput(descriptor: devNull)
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = CPUTime.process()
        let report = try runner.run(request, output: output)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = CPUTime.process() - cpuStart
        // Wall time suffers from other processes on a shared machine; CPU time shows the code's own cost.
        let shown = request.showsSummary ? "" : "  (\(report.rowsShown) rows out)"
        print("\(label.padding(toLength: 44, withPad: " ", startingAt: 0)) wall \(String(format: "%7.3f", seconds)) s "
            + "\(String(format: "%10.0f", Double(rows) / seconds)) rows/s | cpu \(String(format: "%7.3f", cpu)) s "
            + "\(String(format: "%10.0f", Double(rows) / cpu)) rows/s\(shown)  rss \(CPUTime.peakResidentMegabytes()) MB")
    }

    for compressed in [false, true] {
        if compressed {
            let start = Date()
            try ViewBenchmarkData.gzip(tradePath)
            try ViewBenchmarkData.gzip(bookPath)
            print("gzip level 1 of both files: \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        }
        let kindLabel = compressed ? "gzip " : "plain"
        var trades = ViewRequest(pair: pair, date: day)
        trades.showsTrades = true
        trades.format = .csv
        try measure("\(kindLabel) trades view --format csv", rows: rows, trades)
        trades.showsSummary = true
        try measure("\(kindLabel) trades --summary (reads book too)", rows: rows * 2, trades)
        var book = ViewRequest(pair: pair, date: day)
        book.format = .csv
        try measure("\(kindLabel) book view --format csv (pass-through)", rows: rows, book)
        book.levels = 10
        try measure("\(kindLabel) book view --format csv --levels 10", rows: rows, book)
        book.levels = nil
        book.format = .json
        try measure("\(kindLabel) book view --format json", rows: rows, book)
        // The last ~5 minutes of the day: binary search on the plain file, a scan on gzip.
        let window = try TimeWindow(from: "23:55", to: "23:59:59", on: day)
        var tail = ViewRequest(pair: pair, date: day, window: window)
        tail.format = .csv
        let windowRows = Int(Double(rows) * 299.0 / 86_400.0)
        try measure("\(kindLabel) book window 23:55–23:59:59", rows: windowRows, tail)
    }
    try? FileManager.default.removeItem(atPath: "\(directory)/\(pair)")
}

/// Generated day files for the benchmark.
enum ViewBenchmarkData {
    static func writeTrades(rows: Int, day: CalendarDate, path: String) throws {
        try write(path: path, header: "timestamp,received_at,trade_id,side,price,qty,ord_type", rows: rows, day: day) {
            index, bytes in
            bytes.append(contentsOf: ",\(1_000_000 + index),\(index % 3 == 0 ? "sell" : "buy"),6732\(index % 10).\(index % 7),"
                .utf8)
            bytes.append(contentsOf: "0.\(String(10_000_000 + (index * 7919) % 89_999_999)),limit".utf8)
        }
    }

    static func writeBook(rows: Int, levels: Int, day: CalendarDate, path: String) throws {
        var header = ["timestamp", "received_at"]
        for level in stride(from: levels, through: 1, by: -1) {
            header += ["\(OrderBookColumns.ordinal(ofLevel: level))_bid_qty", "\(OrderBookColumns.ordinal(ofLevel: level))_bid_price"]
        }
        header.append("mid_price")
        for level in 1...levels { header += ["\(OrderBookColumns.ordinal(ofLevel: level))_ask_qty", "\(OrderBookColumns.ordinal(ofLevel: level))_ask_price"] }
        // 64 row bodies reused in turn: generating 1 GB must not dominate the benchmark's run time.
        let bodies: [[UInt8]] = (0..<64).map { variant in
            let best = 673_210 + variant
            var cells: [String] = []
            for level in stride(from: levels, through: 1, by: -1) {
                cells += ["\(level).\(String(10_000_000 + variant * 131 + level))", price(best - level + 1)]
            }
            cells.append(price(best) + "5")
            for level in 1...levels {
                cells += ["\(level).\(String(20_000_000 + variant * 17 + level))", price(best + level)]
            }
            return Array(("," + cells.joined(separator: ",")).utf8)
        }
        try write(path: path, header: header.joined(separator: ","), rows: rows, day: day) { index, bytes in
            bytes.append(contentsOf: bodies[index % bodies.count])
        }
    }

    private static func price(_ tenths: Int) -> String { "\(tenths / 10).\(tenths % 10)" }

    /// Rows spread evenly over the day, timestamps and received_at first.
    private static func write(
        path: String, header: String, rows: Int, day: CalendarDate, body: (Int, inout [UInt8]) -> Void
    ) throws {
        guard let file = fopen(path, "w") else { throw CocoaError(.fileWriteUnknown) }
        defer { fclose(file) }
        var bytes = Array((header + "\n").utf8)
        let step = UTCTimestamp.microsecondsPerDay / Int64(rows)
        for index in 0..<rows {
            let time = UTCTimestamp(microsecondsSince1970: day.start.microseconds + Int64(index) * step)
            time.appendText(to: &bytes)
            bytes.append(UInt8(ascii: ","))
            UTCTimestamp(microsecondsSince1970: time.microseconds + 900).appendText(to: &bytes)
            body(index, &bytes)
            bytes.append(UInt8(ascii: "\n"))
            if bytes.count > 1 << 20 {
                fwrite(bytes, 1, bytes.count, file)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        fwrite(bytes, 1, bytes.count, file)
    }

    /// Replaces `path` by `path.gz` (level 1, as a daily compressor would use).
    static func gzip(_ path: String) throws {
        guard let input = fopen(path, "r"), let output = gzopen(path + ".gz", "wb1") else {
            throw CocoaError(.fileWriteUnknown)
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = fread(&buffer, 1, buffer.count, input)
            if count == 0 { break }
            gzwrite(output, buffer, UInt32(count))
        }
        fclose(input)
        gzclose(output)
        unlink(path)
    }

    static func megabytes(_ path: String) -> Int {
        Int((DataDirectory.size(of: path) ?? 0) / 1_000_000)
    }
}
