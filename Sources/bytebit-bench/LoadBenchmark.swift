import BytebitCore
import BytebitLoader
import BytebitView
import Foundation
import Logging
import PostgresTestSupport

/// `bytebit load` throughput into a local PostgreSQL: a generated 25-level order book day and a trade
/// day (the generators of the view benchmark), loaded by the loader's own code (`Loader.pass`, COPY in
/// 50,000-row transactions). Without `--database-url` it starts a throwaway PostgreSQL server (initdb
/// in a temporary folder), as the tests do. Prints rows/s (wall) and the loader's own CPU.
func runLoadBenchmark(directory: String, bookRows: Int, tradeRows: Int, connections: Int, databaseURL: String?) throws {
    let server = databaseURL == nil ? try PostgresTestServer() : nil
    let url = databaseURL ?? server?.url() ?? ""
    guard let day = CalendarDate("2026-11-21") else { return }
    try? FileManager.default.removeItem(atPath: directory)
    for stream in ["orderbook", "trades"] {
        try FileManager.default.createDirectory(atPath: "\(directory)/BOOK-USD/\(stream)", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(directory)/TRADE-USD/\(stream)", withIntermediateDirectories: true)
    }
    let bookPath = "\(directory)/BOOK-USD/orderbook/orderbook_data_\(day).csv"
    let tradePath = "\(directory)/TRADE-USD/trades/trade_data_\(day).csv"
    let started = Date()
    try ViewBenchmarkData.writeBook(rows: bookRows, levels: 25, day: day, path: bookPath)
    try ViewBenchmarkData.writeTrades(rows: tradeRows, day: day, path: tradePath)
    print("generated \(bookRows) 25-level book rows (\(ViewBenchmarkData.megabytes(bookPath)) MB) and \(tradeRows) trade rows "
        + "(\(ViewBenchmarkData.megabytes(tradePath)) MB) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    print("load average \(loadAverage()), \(connections) connections")
    let logger = Logger(label: "bench")
    for (pair, rows, label) in [("BOOK-USD", bookRows, "order book day, 25 levels"), ("TRADE-USD", tradeRows, "trade day")] {
        let connection = try PostgresConnection(url: url)
        let loader = try Loader(
            connection: connection, settings: LoaderSettings(dataDirectory: directory, pairs: [pair]), logger: logger)
        loader.spareConnections = try (1..<max(1, connections)).map { _ in try PostgresConnection(url: url) }
        // The server's backend processes for these connections: their CPU is most of the cost.
        var backends: [Int32] = []
        for used in [connection] + loader.spareConnections {
            backends.append(Int32(try used.execute("SELECT pg_backend_pid()").first?.first??.description ?? "") ?? 0)
        }
        let serverTicks = { backends.map { SupervisorBenchmark.cpuTicks($0) }.reduce(0, +) }
        let serverStart = serverTicks()
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = CPUTime.process()
        let pass = try loader.pass()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = CPUTime.process() - cpuStart
        let serverCPU = Double(serverTicks() - serverStart) / Double(sysconf(Int32(_SC_CLK_TCK)))
        guard pass.loaded == rows else {
            print("\(label): loaded \(pass.loaded) of \(rows) rows")
            continue
        }
        print("\(label.padding(toLength: 28, withPad: " ", startingAt: 0)) \(rows) rows in \(String(format: "%6.1f", seconds)) s: "
            + "\(String(format: "%8.0f", Double(rows) / seconds)) rows/s (wall, server included) | loader cpu "
            + "\(String(format: "%5.1f", cpu)) s, \(backends.count) server backends cpu \(String(format: "%5.1f", serverCPU)) s | "
            + "\(String(format: "%.0f", Double(rows) / (cpu + serverCPU))) rows per cpu-second of both")
    }
    print("load average \(loadAverage())")
    try? FileManager.default.removeItem(atPath: directory)
}

/// `/proc/loadavg`'s three averages: how busy the machine was while measuring.
func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
