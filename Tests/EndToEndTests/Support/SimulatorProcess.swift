import Foundation

/// `kraken-sim` in a child process on a free port, optionally writing its truth files.
final class SimulatorProcess {
    let child: ChildProcess
    let url: String
    let truthDirectory: URL

    /// Starts the simulator with `arguments` (faults, rate, start time…) and waits for its
    /// `listening on …` line.
    init(in directory: URL, arguments: [String] = [], label: String = "kraken-sim") throws {
        truthDirectory = directory.appendingPathComponent("truth-\(label)")
        let child = try ChildProcess(
            "kraken-sim", arguments: ["--port", "0", "--truth-dir", truthDirectory.path] + arguments,
            logDirectory: directory, label: label)
        self.child = child
        var found: String?
        try waitUntil("kraken-sim to listen", seconds: 20) {
            found = child.stdout.split(separator: "\n").first { $0.hasPrefix("listening on ") }
                .map { String($0.dropFirst("listening on ".count)) }
            if found == nil && !child.isRunning { throw TimedOut(what: "kraken-sim exited: \(child.stderr)", seconds: 0) }
            return found != nil
        }
        url = found ?? ""
    }

    func stop() {
        child.signal(SIGTERM)
        _ = try? child.waitForExit(seconds: 10)
        child.killIfRunning()
    }

    /// Every book state the simulator sent, keyed by "SYMBOL depth timestamp".
    func bookTruth() throws -> [String: TruthBook] {
        var books: [String: TruthBook] = [:]
        for object in try jsonLines("book-truth.jsonl") {
            let book = try TruthBook(object)
            books[book.key] = book
        }
        return books
    }

    /// Every trade the simulator sent, by trade id.
    func tradeTruth() throws -> [UInt64: [String]] {
        var trades: [UInt64: [String]] = [:]
        for object in try jsonLines("trade-truth.jsonl") {
            guard let id = (object["trade_id"] as? NSNumber)?.uint64Value else { continue }
            trades[id] = ["\(id)", object["side"] as? String ?? "", object["price"] as? String ?? "",
                          object["qty"] as? String ?? "", object["ord_type"] as? String ?? ""]
        }
        return trades
    }

    private func jsonLines(_ name: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: truthDirectory.appendingPathComponent(name), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let dictionary = object as? [String: Any] else { throw TimedOut(what: "a JSON object", seconds: 0) }
            return dictionary
        }
    }

    deinit {
        stop()
    }
}

/// One true book state from the simulator: levels as printed text, best first.
struct TruthBook {
    let symbol: String
    let depth: Int
    let timestamp: String
    let bids: [[String]]
    let asks: [[String]]

    var key: String { "\(symbol) \(depth) \(timestamp)" }

    init(_ object: [String: Any]) throws {
        symbol = object["symbol"] as? String ?? ""
        depth = (object["depth"] as? NSNumber)?.intValue ?? 0
        timestamp = object["timestamp"] as? String ?? ""
        bids = object["bids"] as? [[String]] ?? []
        asks = object["asks"] as? [[String]] ?? []
    }

    /// The cells an order book row with `levels` levels must hold after the two timestamps and
    /// without `mid_price`: bids deepest → best as qty, price; asks best → deepest as qty, price.
    func expectedCells(levels: Int) -> [String] {
        var cells: [String] = []
        for index in stride(from: levels - 1, through: 0, by: -1) {
            cells += index < bids.count ? [bids[index][1], bids[index][0]] : ["", ""]
        }
        for index in 0..<levels {
            cells += index < asks.count ? [asks[index][1], asks[index][0]] : ["", ""]
        }
        return cells
    }
}
