import BytebitCore
import Foundation
import Logging

/// Replays a generated BTC/USD-like book stream (a snapshot plus `updates` update frames per
/// depth) through decode → book → checksum, and with `writesRows` on through the collector's whole
/// path: → CSV row (25 levels) → batched hand-over → `RecordWriter` appending to a file. Prints
/// messages/s and µs/message for depths 10, 25 and 1000. The stream is deterministic and every
/// checksum in it is right, so the run also proves the pipeline verified each message.
func runBookBenchmark(updates: Int = 200_000, depths: [Int] = [10, 25, 1000], rounds: Int = 3, writesRows: Bool = true) {
    let path = writesRows ? "decode → book → checksum → CSV row → buffered write" : "decode → book → checksum"
    print("book pipeline (\(path)), \(updates) update frames per depth, best of \(rounds) rounds")
    for depth in depths {
        let stream = BookStream(depth: depth, updates: updates, seed: UInt64(depth))
        var best = BookRound(
            cpuSeconds: .infinity, processCPUSeconds: .infinity, wallSeconds: .infinity, snapshotMicros: 0,
            verified: 0, failed: 0)
        var bestDecodeOnly = Double.infinity
        for _ in 0..<max(rounds, 1) {
            let sink = writesRows ? RowSink(levels: min(depth, 25)) : nil
            let round = replay(stream, depth: depth, updates: updates, into: sink)
            sink?.finish()
            if round.cpuSeconds < best.cpuSeconds { best = round }
            bestDecodeOnly = min(bestDecodeOnly, measureDecodeOnly(stream, updates: updates))
        }
        let line = String(
            format: "depth %4d: %9.0f msgs/s  %.3f µs/msg CPU, all threads %.3f µs (wall %.0f msgs/s)  "
                + "decode alone %.3f µs; snapshot %.0f µs; avg frame %d B; verified %d/%d",
            depth, Double(updates) / best.cpuSeconds, best.cpuSeconds * 1e6 / Double(updates),
            best.processCPUSeconds * 1e6 / Double(updates), Double(updates) / best.wallSeconds, bestDecodeOnly,
            best.snapshotMicros, stream.averageUpdateBytes, best.verified, updates + 1)
        print(line + (best.failed > 0 ? "  FAILED \(best.failed)" : ""))
    }
}

/// The collector's write path for the benchmark: each verified book handed to the files' sink as the
/// recorder hands it (`CSVFileSink`: the row formatted into a batch on the replay thread, handed to a
/// `RecordWriter` thread in 256 KiB batches, appended to a temp file).
private final class RowSink {
    let levels: Int
    let folder = NSTemporaryDirectory() + "/bytebit-bench-pipeline-\(UUID().uuidString)"
    let files: CSVFileSink

    init(levels: Int) {
        self.levels = levels
        files = CSVFileSink(writer: RecordWriter(
            settings: .init(dataDirectory: folder, pair: "BTC-USD", orderBookLevels: levels, compressesFinishedDays: false),
            logger: Logger(label: "bytebit.bench")))
    }

    /// The row as the collector writes it with the files alone (`MarketRecorder.emitBook`: from
    /// the book in place, no `VerifiedBookTop`).
    func append(_ book: inout OrderBook, checksum: UInt32, at timestamp: UTCTimestamp) {
        files.recordBook(timestamp: timestamp, receivedAt: timestamp, levels: levels, of: &book)
    }

    func flush() {
        files.flush()
        files.writer.flush()
    }

    func finish() {
        files.close()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// The figures of one pass over a stream.
private struct BookRound {
    var cpuSeconds: Double
    var processCPUSeconds: Double
    var wallSeconds: Double
    var snapshotMicros: Double
    var verified: Int
    var failed: Int
}

/// One pass: the snapshot (timed apart: it happens once per subscription), then every update.
/// Never inlined: `--instructions` collects callgrind's counts inside this function by its name.
@inline(never)
private func replay(_ stream: BookStream, depth: Int, updates: Int, into sink: RowSink?) -> BookRound {
    var decoder = KrakenDecoder()
    var book = OrderBook(depth: depth, pricePrecision: 1, qtyPrecision: 8)
    var verified = 0
    var failed = 0
    let fallbackTime = UTCTimestamp(microsecondsSince1970: 1_795_000_000_000_000)
    func ingest(_ frame: UnsafeRawBufferPointer) {
        do {
            guard case .book(let entries) = try decoder.decode(frame) else { return }
            for entry in entries {
                let result = book.ingest(entry)
                if result.isMatch {
                    verified += 1
                    sink?.append(&book, checksum: result.computed, at: entry.timestamp ?? fallbackTime)
                } else {
                    failed += 1
                }
            }
        } catch {
            failed += 1
        }
    }
    let snapshotStart = CPUTime.thread()
    stream.frame(0).withUnsafeBytes { ingest($0) }
    let snapshotMicros = (CPUTime.thread() - snapshotStart) * 1e6
    let wallStart = DispatchTime.now().uptimeNanoseconds
    let cpuStart = CPUTime.thread()
    let processStart = CPUTime.process()
    for index in 1...updates {
        stream.frame(index).withUnsafeBytes { ingest($0) }
    }
    sink?.flush()  // the rows are in the file (page cache) before the clock stops
    return BookRound(
        cpuSeconds: CPUTime.thread() - cpuStart,
        processCPUSeconds: CPUTime.process() - processStart,
        wallSeconds: Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9,
        snapshotMicros: snapshotMicros, verified: verified, failed: failed)
}

/// CPU µs per update frame for decoding alone.
private func measureDecodeOnly(_ stream: BookStream, updates: Int) -> Double {
    var decoder = KrakenDecoder()
    var levels = 0
    let start = CPUTime.thread()
    for index in 1...updates {
        stream.frame(index).withUnsafeBytes { frame in
            if case .book(let entries)? = try? decoder.decode(frame) {
                levels &+= entries.count
            }
        }
    }
    let elapsed = (CPUTime.thread() - start) * 1e6
    return levels >= 0 ? elapsed / Double(updates) : 0
}

/// A deterministic book feed kept in one byte buffer: frame 0 is the snapshot, then updates in
/// Kraken's mix — quantity changes near the top, deletes followed by the re-published next level,
/// inserts that push the worst level out — each with the checksum of the resulting book.
private struct BookStream {
    private var bytes: [UInt8] = []
    private var offsets: [Int] = [0]

    var averageUpdateBytes: Int {
        offsets.count > 2 ? (offsets[offsets.count - 1] - offsets[1]) / (offsets.count - 2) : 0
    }

    func frame(_ index: Int) -> ArraySlice<UInt8> {
        bytes[offsets[index]..<offsets[index + 1]]
    }

    init(depth: Int, updates: Int, seed: UInt64) {
        var random = SeededRandomNumberGenerator(seed: seed)
        // The exchange's full book (deeper than the subscription, to re-publish from) and the
        // subscriber's view, which gives each message its checksum.
        var market = OrderBook(depth: depth * 4 + 50, pricePrecision: 1, qtyPrecision: 8)
        var view = OrderBook(depth: depth, pricePrecision: 1, qtyPrecision: 8)
        let mid: Int64 = 600_000  // 60000.0
        func quantity() -> ExactDecimal { ExactDecimal(units: Int64(random.next() % 500_000_000) + 1, scale: 8) }
        func price(_ units: Int64) -> ExactDecimal { ExactDecimal(units: units, scale: 1) }
        var bids: [PriceLevel] = []
        var asks: [PriceLevel] = []
        for tick in 0..<Int64(depth * 4 + 50) {
            bids.append(PriceLevel(price: price(mid - 1 - tick * 2), qty: quantity()))
            asks.append(PriceLevel(price: price(mid + 1 + tick * 2), qty: quantity()))
        }
        market.replace(bids: bids, asks: asks)
        view.replace(bids: bids, asks: asks)
        var timestamp = UTCTimestamp(microsecondsSince1970: 1_795_000_000_000_000)
        append(
            isSnapshot: true, bids: Array(view.bids), asks: Array(view.asks), checksum: view.checksum, timestamp: nil)
        for _ in 0..<updates {
            let isBid = random.next() % 2 == 0
            var changes: [PriceLevel] = []
            do {
                // The slice must be gone before `market` changes, or every change copies the book.
                let side = isBid ? market.bids : market.asks
                let top = min(depth, 25, side.count)
                switch random.next() % 10 {
                case 0..<6 where top > 0:  // quantity change near the top
                    let level = side[side.startIndex + Int(random.next() % UInt64(top))]
                    changes.append(PriceLevel(price: level.price, qty: quantity()))
                case 6..<8 where top > 0 && side.count > depth:  // delete, then re-publish the next level
                    let level = side[side.startIndex + Int(random.next() % UInt64(top))]
                    changes.append(PriceLevel(price: level.price, qty: ExactDecimal(units: 0, scale: 8)))
                    changes.append(side[side.startIndex + depth])
                default:  // insert a new level near the top
                    guard let best = side.first?.price.units else { continue }
                    let distance = Int64(random.next() % 40)
                    let candidate = isBid ? min(best + 1, mid - 1) - distance : max(best - 1, mid + 1) + distance
                    guard !side.contains(where: { $0.price.units == candidate }) else { continue }
                    changes.append(PriceLevel(price: price(candidate), qty: quantity()))
                }
            }
            market.apply(bids: isBid ? changes : [], asks: isBid ? [] : changes)
            view.apply(bids: isBid ? changes : [], asks: isBid ? [] : changes)
            timestamp.microseconds += Int64(random.next() % 20_000)
            append(
                isSnapshot: false, bids: isBid ? changes : [], asks: isBid ? [] : changes, checksum: view.checksum,
                timestamp: timestamp)
        }
        // Pad the stream to exactly `updates` update frames (skipped inserts above).
        while offsets.count < updates + 2 {
            let level = view.asks.first ?? PriceLevel(price: price(mid + 1), qty: quantity())
            let change = PriceLevel(price: level.price, qty: quantity())
            view.apply(bids: [], asks: [change])
            append(isSnapshot: false, bids: [], asks: [change], checksum: view.checksum, timestamp: timestamp)
        }
    }

    private mutating func append(
        isSnapshot: Bool, bids: [PriceLevel], asks: [PriceLevel], checksum: UInt32,
        timestamp: UTCTimestamp?
    ) {
        func put(_ text: String) { bytes.append(contentsOf: text.utf8) }
        func put(_ levels: [PriceLevel]) {
            for (index, level) in levels.enumerated() {
                put(index == 0 ? "{\"price\":" : ",{\"price\":")
                level.price.appendText(to: &bytes)
                put(",\"qty\":")
                level.qty.appendText(to: &bytes)
                put("}")
            }
        }
        put(
            "{\"channel\":\"book\",\"type\":\"\(isSnapshot ? "snapshot" : "update")\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":["
        )
        put(bids)
        put("],\"asks\":[")
        put(asks)
        put("],\"checksum\":\(checksum)")
        if let timestamp {
            put(",\"timestamp\":\"")
            timestamp.appendText(to: &bytes)
            put("\"")
        }
        put("}]}")
        offsets.append(bytes.count)
    }
}

