import BytebitCore
import BytebitLoader
import BytebitView
import Foundation
import Logging
import PostgresTestSupport

/// The loader's cost while following: `pairs` pairs' files grown at Kraken's pace by a writer thread
/// (25-level book rows, trades, a ledger), the loader's own follower (`LoaderFollower`, as the `loader`
/// child runs it, status file included) loading them into a local PostgreSQL. After a warm-up it
/// measures `seconds` of the loader's CPU (this process's CPU minus the writer thread's) and of the
/// server backends, then checks the database caught up with every row written.
func runFollowBenchmark(
    directory: String, pairs: Int, bookRate: Double, tradeRate: Double, warmup: Int, seconds: Int, databaseURL: String?
) throws {
    let server = databaseURL == nil ? try PostgresTestServer() : nil
    let url = databaseURL ?? server?.url() ?? ""
    try? FileManager.default.removeItem(atPath: directory)
    let writer = try PacedFiles(directory: directory, pairs: pairs, bookRate: bookRate, tradeRate: tradeRate)
    guard let serviceURL = ServiceURL(url) else {
        print("not a database URL: \(url)")
        return
    }
    let follower = LoaderFollower(
        url: serviceURL, settings: LoaderSettings(dataDirectory: directory), statusFile: directory + "/loader.json",
        logger: Logger(label: "bench"))
    let writerThread = Thread { writer.run() }
    writerThread.start()
    let followerDone = DispatchSemaphore(value: 0)
    let followerThread = Thread {
        _ = follower.run()
        followerDone.signal()
    }
    followerThread.start()
    print("following \(pairs) pairs: \(bookRate) book rows/s (25 levels) and \(tradeRate) trade rows/s per pair; "
        + "warm-up \(warmup) s, then \(seconds) s measured; load average \(loadAverage())")
    Thread.sleep(forTimeInterval: Double(warmup))

    let query = try PostgresConnection(url: url)
    let backends = { () throws -> [Int32] in
        try query.execute("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")
            .compactMap { $0.first.flatMap { $0 }.flatMap { Int32($0) } }
    }
    let serverTicks = { (pids: [Int32]) in pids.map { SupervisorBenchmark.cpuTicks($0) }.reduce(0, +) }
    let pidsAtStart = try backends()
    let serverStart = serverTicks(pidsAtStart)
    let processStart = CPUTime.process()
    let writerStart = writer.cpuSeconds
    let wallStart = DispatchTime.now().uptimeNanoseconds
    let rowsStart = writer.rowsWritten
    Thread.sleep(forTimeInterval: Double(seconds))
    let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
    let loaderCPU = (CPUTime.process() - processStart) - (writer.cpuSeconds - writerStart)
    let serverCPU = Double(serverTicks(pidsAtStart) - serverStart) / Double(sysconf(Int32(_SC_CLK_TCK)))
    let rowsMeasured = writer.rowsWritten - rowsStart
    writer.stop()
    while !writer.isStopped { Thread.sleep(forTimeInterval: 0.01) }
    let written = writer.rowsWritten

    // Caught up: every written row in the tables within a deadline.
    let deadline = Date(timeIntervalSinceNow: 60)
    var inTables = 0
    repeat {
        let counts = try query.execute(
            "SELECT (SELECT count(*) FROM kraken_orderbook) + (SELECT count(*) FROM kraken_trades) + (SELECT count(*) FROM kraken_events)")
        inTables = Int(counts.first?.first??.description ?? "") ?? 0
        if inTables >= written { break }
        Thread.sleep(forTimeInterval: 0.2)
    } while Date() < deadline
    follower.requestStop()
    followerDone.wait()

    let percent = { (cpu: Double) in String(format: "%.2f%%", 100 * cpu / wall) }
    print("rows written while measured: \(rowsMeasured) (\(String(format: "%.0f", Double(rowsMeasured) / wall)) rows/s)")
    print("loader cpu \(String(format: "%.3f", loaderCPU)) s over \(String(format: "%.1f", wall)) s = \(percent(loaderCPU)) of one core "
        + "(target <= 2%) | server backends \(percent(serverCPU)) | caught up: \(inTables == written ? "yes" : "NO") "
        + "(\(inTables) of \(written) rows in the tables); load average \(loadAverage())")
    try? FileManager.default.removeItem(atPath: directory)
}

/// Day files of many pairs grown at a steady pace, as collectors would write them: every 100 ms each
/// pair gets its due book and trade rows, appended with one write per file.
final class PacedFiles: @unchecked Sendable {
    private struct PairFiles {
        var book: Int32
        var trades: Int32
    }

    private let files: [PairFiles]
    private let bookRate: Double
    private let tradeRate: Double
    private let bodies: [[UInt8]]
    private let lock = NSLock()
    private var written = 0
    private var stopRequested = false
    private var stopped = false
    private var threadCPU = 0.0
    private var tradeId = 1_000_000

    init(directory: String, pairs: Int, bookRate: Double, tradeRate: Double) throws {
        self.bookRate = bookRate
        self.tradeRate = tradeRate
        let day = SystemClock().now().dayNumber
        let date = UTCTimestamp(microsecondsSince1970: day * UTCTimestamp.microsecondsPerDay).utcDate
        var files: [PairFiles] = []
        var ledgerRows = 0
        for index in 0..<pairs {
            let pair = String(format: "P%02d-USD", index)
            for folder in ["orderbook", "trades", "events"] {
                try FileManager.default.createDirectory(atPath: "\(directory)/\(pair)/\(folder)", withIntermediateDirectories: true)
            }
            let now = SystemClock().now()
            try Self.create("\(directory)/\(pair)/events/events_\(date).csv",
                            header: RecordedStream.events.columns(levels: 0),
                            rows: "\(now.description),started,mode=update depth=25 levels=25\n\(now.description),snapshot,\n")
            ledgerRows += 2
            let book = try Self.create("\(directory)/\(pair)/orderbook/orderbook_data_\(date).csv",
                                       header: RecordedStream.orderBook.columns(levels: 25), rows: "")
            let trades = try Self.create("\(directory)/\(pair)/trades/trade_data_\(date).csv",
                                         header: RecordedStream.trades.columns(levels: 0), rows: "")
            files.append(PairFiles(book: book, trades: trades))
        }
        self.files = files
        written = ledgerRows
        bodies = (0..<16).map { variant in
            var cells: [String] = []
            let best = 673_210 + variant
            for level in stride(from: 25, through: 1, by: -1) { cells += ["\(level).\(10_000_000 + variant * 131 + level)", Self.price(best - level + 1)] }
            cells.append(Self.price(best) + "5")
            for level in 1...25 { cells += ["\(level).\(20_000_000 + variant * 17 + level)", Self.price(best + level)] }
            return Array(("," + cells.joined(separator: ",") + "\n").utf8)
        }
    }

    private static func price(_ tenths: Int) -> String { "\(tenths / 10).\(tenths % 10)" }

    @discardableResult
    private static func create(_ path: String, header: [String], rows: String) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        let text = Array((header.joined(separator: ",") + "\n" + rows).utf8)
        _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        return descriptor
    }

    var rowsWritten: Int { lock.withLock { written } }
    var cpuSeconds: Double { lock.withLock { threadCPU } }
    var isStopped: Bool { lock.withLock { stopped } }
    func stop() { lock.withLock { stopRequested = true } }

    func run() {
        let tick = 0.1
        var due = [Double](repeating: 0, count: files.count * 2)
        var next = DispatchTime.now().uptimeNanoseconds
        var line: [UInt8] = []
        while !lock.withLock({ stopRequested }) {
            var rows = 0
            for (index, pair) in files.enumerated() {
                // Stagger pairs a little so not every file grows by the same count each tick.
                due[2 * index] += bookRate * tick * (0.5 + Double(index % 10) / 9)
                due[2 * index + 1] += tradeRate * tick * (0.5 + Double((index + 5) % 10) / 9)
                line.removeAll(keepingCapacity: true)
                while due[2 * index] >= 1 {
                    due[2 * index] -= 1
                    appendTimes(to: &line)
                    line.append(contentsOf: bodies[(rows + index) % bodies.count])
                    rows += 1
                }
                if !line.isEmpty { _ = line.withUnsafeBytes { write(pair.book, $0.baseAddress, $0.count) } }
                line.removeAll(keepingCapacity: true)
                while due[2 * index + 1] >= 1 {
                    due[2 * index + 1] -= 1
                    appendTimes(to: &line)
                    tradeId += 1
                    line.append(contentsOf: ",\(tradeId),\(tradeId % 3 == 0 ? "sell" : "buy"),67321.\(tradeId % 10),0.0\(10_000 + tradeId % 89_999),limit\n".utf8)
                    rows += 1
                }
                if !line.isEmpty { _ = line.withUnsafeBytes { write(pair.trades, $0.baseAddress, $0.count) } }
            }
            let cpu = CPUTime.thread()
            lock.withLock {
                written += rows
                threadCPU = cpu
            }
            next += UInt64(tick * 1e9)
            let now = DispatchTime.now().uptimeNanoseconds
            if next > now { usleep(useconds_t((next - now) / 1000)) }
        }
        let cpu = CPUTime.thread()
        lock.withLock {
            threadCPU = cpu
            stopped = true
        }
    }

    private func appendTimes(to line: inout [UInt8]) {
        let now = SystemClock().now()
        now.appendText(to: &line)
        line.append(UInt8(ascii: ","))
        UTCTimestamp(microsecondsSince1970: now.microseconds + 700).appendText(to: &line)
    }
}
