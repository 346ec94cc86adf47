import Foundation

/// What the live feed costs the collector: its process CPU per message (the `receive` benchmark's
/// collector measurement) with files alone, and with `--live-socket` to a real `live-feed` that has
/// two clients subscribed to every pair and channel. Rounds alternate, so a busy machine's drift
/// falls on both; the medians and their ratio are printed (target: at most +20%).
struct LiveCostBenchmark {
    var receive: ReceiveBenchmark
    var rounds: Int

    func run() throws {
        let figures = try CollectorCPURounds(receive: receive, rounds: rounds).run { folder in
            let feed = try BenchmarkLiveFeed(folder: folder, clients: 2)
            return (CollectorOutputs(liveSocket: feed.socket), feed)
        }
        print(String(
            format: "collector CPU per message (median of %d): files alone %.2f µs, with the live sink and two feed clients %.2f µs: %+.1f%% (target ≤ +20%%); %d msgs/s, depth %d, %d levels; the clients got %d messages",
            rounds, figures.filesAlone, figures.withOutputs, figures.increase, receive.rate, receive.depth, receive.levels,
            figures.clientMessages))
    }
}

/// Alternating rounds of the `receive` benchmark's collector (wss through a `PacedRelay` at a steady
/// rate): files alone, then with the outputs `start` turns on; medians of the CPU per message.
struct CollectorCPURounds {
    var receive: ReceiveBenchmark
    var rounds: Int

    struct Result {
        var filesAlone: Double
        var withOutputs: Double
        var clientMessages: Int
        var redis: (sent: Int, dropped: Int)?
        var increase: Double { (withOutputs / max(filesAlone, 1e-9) - 1) * 100 }
    }

    func run(_ start: (URL) throws -> (CollectorOutputs, BenchmarkLiveFeed?)) throws -> Result {
        let pki = try BenchmarkCertificate()
        defer { pki.remove() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-bench-cpu-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (simulator, simulatorURL) = try receive.startSimulator(pki: pki, folder: folder)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        let relay = try PacedRelay(
            upstream: simulatorURL, caFile: pki.caFile, certificateFile: pki.certificateFile, keyFile: pki.keyFile,
            rate: Double(receive.rate))
        defer { relay.stop() }
        let (outputs, feed) = try start(folder)
        defer { feed?.stop() }
        let url = "wss://127.0.0.1:\(relay.port)/v2"
        var filesAlone: [Double] = []
        var withOutputs: [Double] = []
        var redis: (sent: Int, dropped: Int)?
        for round in 1...max(rounds, 1) {
            let files = try receive.measureCollector(url: url, caFile: pki.caFile, folder: folder, relay: relay)
            filesAlone.append(files.microsecondsPerMessage)
            let all = try receive.measureCollector(
                url: url, caFile: pki.caFile, folder: folder, relay: relay, outputs: outputs)
            withOutputs.append(all.microsecondsPerMessage)
            if let counters = all.redis { redis = (counters.sent + (redis?.sent ?? 0), counters.dropped + (redis?.dropped ?? 0)) }
            print("round \(round): " + String(format: "files alone %.2f µs/msg, ", files.microsecondsPerMessage)
                + outputs.name + String(format: " %.2f µs/msg", all.microsecondsPerMessage))
        }
        return Result(
            filesAlone: Self.median(filesAlone), withOutputs: Self.median(withOutputs),
            clientMessages: feed?.received ?? 0, redis: redis)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
