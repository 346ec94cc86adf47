import ArgumentParser
import Foundation
import RedisTestSupport

extension BytebitBench {
    struct OutputsCost: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "outputs-cost",
            abstract: "The collector's cost per message with files alone vs files + Redis + the live feed with two clients.",
            discussion: """
                Issue 12's configuration: the same collector, the same stream, the same window, once with files \
                alone and once also publishing to a throwaway redis-server and feeding a real live-feed process \
                that has two clients subscribed to everything. First figure: callgrind instruction counts of the \
                collector (every thread) against kraken-sim, stable on a loaded machine. Second: its process CPU \
                time per message at a steady --cpu-rate over wss (the `receive` benchmark's collector), in \
                alternating rounds (noisy on a shared machine).
                """)
        @Option(help: "Book messages/s of kraken-sim in the callgrind runs.") var rate = 200
        @Option var warmup = 8
        @Option(help: "The callgrind window in seconds.") var seconds = 20
        @Option var depth = 25
        @Option var levels = 10
        @Flag(help: "Also measure Redis alone and the live feed alone (callgrind).") var breakdown = false
        @Option(help: "Callgrind runs of every configuration (the median is the figure).") var runs = 1
        @Option(help: "Messages/s of the CPU-time rounds.") var cpuRate = 4000
        @Option(help: "Seconds per CPU-time measurement.") var cpuSeconds = 10
        @Option(help: "CPU-time rounds (0: callgrind only).") var cpuRounds = 3
        func run() throws {
            try OutputsCostBenchmark(
                instructions: CollectorInstructions(
                    rate: rate, warmup: warmup, seconds: seconds, depth: depth, levels: levels),
                breakdown: breakdown, runs: max(runs, 1),
                cpu: ReceiveBenchmark(rate: cpuRate, warmup: 3, seconds: cpuSeconds, depth: depth, levels: levels),
                cpuRounds: cpuRounds
            ).run()
        }
    }
}

/// Files alone against files + Redis + the live feed with two subscribed clients (issue 12's
/// "at most +20% per message"), in instructions and in CPU time.
struct OutputsCostBenchmark {
    var instructions: CollectorInstructions
    var breakdown: Bool
    var runs: Int
    var cpu: ReceiveBenchmark
    var cpuRounds: Int

    func run() throws {
        let redis = try RedisTestServer()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-bench-outputs-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let feed = try BenchmarkLiveFeed(folder: folder, clients: 2)
        defer { feed.stop() }
        let all = CollectorOutputs(redisURL: redis.url(), liveSocket: feed.socket)
        print("load average (/proc/loadavg) at the start: \(Self.loadAverage)")
        print(String(format: "callgrind: the collector's instructions (every thread) per recorded message (book rows + trades), kraken-sim at %d book msgs/s, depth %d, %d levels, %d s window, %d run(s)",
                     instructions.rate, instructions.depth, instructions.levels, instructions.seconds, runs))
        var configurations = [CollectorOutputs()]
        if breakdown { configurations += [CollectorOutputs(redisURL: all.redisURL), CollectorOutputs(liveSocket: all.liveSocket)] }
        configurations.append(all)
        var figures = Array(repeating: [CollectorInstructions.Figure](), count: configurations.count)
        let clientsBefore = feed.received
        for run in 1...runs {
            if runs > 1 { print("run \(run):") }
            for (index, outputs) in configurations.enumerated() {
                figures[index].append(try instructions.measure(outputs))
                report(figures[index].last.unsafelyUnwrapped, outputs, base: figures[0].last.unsafelyUnwrapped)
            }
            let last = figures[configurations.count - 1].last.unsafelyUnwrapped
            let redisText = last.redis.map { "Redis took \($0.sent) messages, dropped \($0.dropped)" } ?? "no Redis counters"
            print("  \(redisText); the two feed clients got \(feed.received - clientsBefore) messages so far")
        }
        let medians = figures.map { Self.median($0) }
        if runs > 1 {
            print("median of \(runs) runs:")
            for (index, outputs) in configurations.enumerated() { report(medians[index], outputs, base: medians[0]) }
        }
        let increase = (medians[configurations.count - 1].perMessage / max(medians[0].perMessage, 1) - 1) * 100
        print(String(format: "outputs cost (callgrind): %+.1f%% instructions per message (target: at most +20%%)", increase))
        print("load average (/proc/loadavg) at the end: \(Self.loadAverage)")
        guard cpuRounds > 0 else { return }
        print(String(format: "CPU time: the collector's process CPU per message over wss at %d msgs/s, %d s per measurement, alternating rounds",
                     cpu.rate, cpu.seconds))
        let cpuFigures = try CollectorCPURounds(receive: cpu, rounds: cpuRounds).run { _ in (all, nil) }
        let redisCPU = cpuFigures.redis.map { ", Redis took \($0.sent) and dropped \($0.dropped)" } ?? ""
        print(String(format: "outputs cost (CPU time, median of %d): files alone %.2f µs, files + Redis + live feed %.2f µs: %+.1f%%",
                     cpuRounds, cpuFigures.filesAlone, cpuFigures.withOutputs, cpuFigures.increase) + redisCPU
              + "; the two feed clients got \(feed.received - clientsBefore) messages in all")
    }

    /// The run with the median instructions per message (the middle one; the lower middle of an even count).
    private static func median(_ figures: [CollectorInstructions.Figure]) -> CollectorInstructions.Figure {
        figures.sorted { $0.perMessage < $1.perMessage }[(figures.count - 1) / 2]
    }

    private static var loadAverage: String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "unknown").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func report(_ figure: CollectorInstructions.Figure, _ outputs: CollectorOutputs, base: CollectorInstructions.Figure) {
        let name = (outputs.name + ":").padding(toLength: 28, withPad: " ", startingAt: 0)
        var line = "  " + name + String(format: "%6d messages, %7.0f instructions per message", figure.messages, figure.perMessage)
        if outputs.redisURL != nil || outputs.liveSocket != nil {
            line += String(format: " (%+.1f%%)", (figure.perMessage / max(base.perMessage, 1) - 1) * 100)
        }
        print(line)
    }
}
