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
        @Option(help: "Messages/s of the CPU-time rounds.") var cpuRate = 4000
        @Option(help: "Seconds per CPU-time measurement.") var cpuSeconds = 10
        @Option(help: "CPU-time rounds (0: callgrind only).") var cpuRounds = 3
        func run() throws {
            try OutputsCostBenchmark(
                instructions: CollectorInstructions(
                    rate: rate, warmup: warmup, seconds: seconds, depth: depth, levels: levels),
                breakdown: breakdown,
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
        print(String(format: "callgrind: the collector's instructions (every thread) per recorded message (book rows + trades), kraken-sim at %d book msgs/s, depth %d, %d levels, %d s window",
                     instructions.rate, instructions.depth, instructions.levels, instructions.seconds))
        let alone = try instructions.measure(CollectorOutputs())
        report(alone, CollectorOutputs(), base: alone)
        if breakdown {
            report(try instructions.measure(CollectorOutputs(redisURL: all.redisURL)), CollectorOutputs(redisURL: all.redisURL), base: alone)
            report(try instructions.measure(CollectorOutputs(liveSocket: all.liveSocket)), CollectorOutputs(liveSocket: all.liveSocket), base: alone)
        }
        let clientsBefore = feed.received
        let outputs = try instructions.measure(all)
        report(outputs, all, base: alone)
        let redisText = outputs.redis.map { "Redis took \($0.sent) messages, dropped \($0.dropped)" } ?? "no Redis counters"
        print("  \(redisText); the two feed clients got \(feed.received - clientsBefore) messages")
        let increase = (outputs.perMessage / max(alone.perMessage, 1) - 1) * 100
        print(String(format: "outputs cost (callgrind): %+.1f%% instructions per message (target: at most +20%%)", increase))
        guard cpuRounds > 0 else { return }
        print(String(format: "CPU time: the collector's process CPU per message over wss at %d msgs/s, %d s per measurement, alternating rounds",
                     cpu.rate, cpu.seconds))
        let figures = try CollectorCPURounds(receive: cpu, rounds: cpuRounds).run { _ in (all, nil) }
        let redisCPU = figures.redis.map { ", Redis took \($0.sent) and dropped \($0.dropped)" } ?? ""
        print(String(format: "outputs cost (CPU time, median of %d): files alone %.2f µs, files + Redis + live feed %.2f µs: %+.1f%%",
                     cpuRounds, figures.filesAlone, figures.withOutputs, figures.increase) + redisCPU
              + "; the two feed clients got \(feed.received - clientsBefore) messages in all")
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
