import ArgumentParser
import Foundation

/// `bytebit-bench`: release-build benchmarks that print figures (they assert nothing; tests do).
/// Run with `swift run -c release bytebit-bench <name>`.
@main
struct BytebitBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bytebit-bench",
        abstract: "Print bytebit's performance figures (build with -c release).",
        subcommands: [
            Transport.self, Book.self, Storage.self, View.self, Supervisor.self, Receive.self, LiveCost.self, Load.self,
            Follow.self, RedisCost.self, OutputsCost.self, KlinesBench.self, TreeFloor.self, TreeFloorClientCommand.self,
        ])

    struct Transport: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "WebSocket frames of ~250 B from a local server into Swift, over ws and wss.")
        @Option var messages = 1_000_000
        func run() throws {
            try runTransportBenchmark(messages: messages, tls: false)
            try runTransportBenchmark(messages: messages, tls: true)
        }
    }

    struct Book: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a book stream through decode → book → checksum → CSV row → buffered write.")
        @Option var updates = 200_000
        @Option var rounds = 3
        @Option(parsing: .upToNextOption, help: "Book depths to replay.") var depths = [10, 25, 1000]
        @Flag(help: "Stop at the checksum (no CSV, no writer).") var withoutWriting = false
        @Flag(help: "Count instructions per message under callgrind instead (one round per depth; default 20,000 updates).")
        var instructions = false
        func run() throws {
            if instructions {
                let count = updates == 200_000 ? 20_000 : updates
                return try BookInstructions(updates: count, depths: depths, writesRows: !withoutWriting).run()
            }
            runBookBenchmark(updates: updates, depths: depths, rounds: rounds, writesRows: !withoutWriting)
        }
    }

    struct Storage: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Format and write order book rows.")
        @Option var rows = 200_000
        func run() { runStorageBenchmark(rows: rows) }
    }

    struct View: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "bytebit view over a generated 1,000,000-row day, plain and gzip (needs ~1.2 GB of disk).")
        @Option var directory = NSTemporaryDirectory() + "/bytebit-view-bench"
        @Option var rows = 1_000_000
        func run() throws { try runViewBenchmark(directory: directory, rows: rows) }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "bytebit load of a generated 25-level book day and a trade day into a local PostgreSQL (rows/s).")
        @Option var directory = NSTemporaryDirectory() + "/bytebit-load-bench"
        @Option var bookRows = 1_000_000
        @Option var tradeRows = 2_000_000
        @Option(help: "Connections, one batch in flight on each (bytebit load uses 2).") var connections = 2
        @Option(help: "A server to load into; without it a throwaway server is started.") var databaseURL: String?
        func run() throws {
            try runLoadBenchmark(
                directory: directory, bookRows: bookRows, tradeRows: tradeRows, connections: connections, databaseURL: databaseURL)
        }
    }

    struct Follow: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The loader following many pairs' growing files into a local PostgreSQL: its CPU (% of one core).")
        @Option var directory = NSTemporaryDirectory() + "/bytebit-follow-bench"
        @Option var pairs = 50
        @Option(help: "Book rows per second per pair (25 levels).") var bookRate = 10.0
        @Option(help: "Trade rows per second per pair.") var tradeRate = 2.0
        @Option var warmup = 10
        @Option var seconds = 60
        @Option(help: "A server to load into; without it a throwaway server is started.") var databaseURL: String?
        func run() throws {
            try runFollowBenchmark(
                directory: directory, pairs: pairs, bookRate: bookRate, tradeRate: tradeRate, warmup: warmup,
                seconds: seconds, databaseURL: databaseURL)
        }
    }

    struct Supervisor: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "`bytebit run` with many markets against an in-process simulator: its CPU and memory.")
        @Option var markets = 50
        @Option var warmup = 15
        @Option var seconds = 30
        @Option var rate = 10
        func run() throws { try runSupervisorBenchmark(markets: markets, warmup: warmup, seconds: seconds, rate: rate) }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "CPU per message receiving one pair's book over wss: bare client floor vs the real collector.")
        @Option var rate = 4000
        @Option var warmup = 5
        @Option var seconds = 20
        @Option var depth = 25
        @Option var levels = 10
        @Flag(help: "Count the collector's syscalls with strace -c (its CPU figure is then void).") var strace = false
        @Option(help: "Rounds of floor + full (medians printed with more than one).") var rounds = 1
        @Flag(help: "Then count the collector's instructions per message under callgrind (files alone, ws).")
        var instructions = false
        func run() throws {
            try ReceiveBenchmark(
                rate: rate, warmup: warmup, seconds: seconds, depth: depth, levels: levels, traceSyscalls: strace,
                rounds: rounds, countsInstructions: instructions
            ).run()
        }
    }

    struct LiveCost: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "live-cost",
            abstract: "The collector's CPU per message with files alone vs with the live sink and two feed clients.")
        @Option var rate = 4000
        @Option var warmup = 3
        @Option var seconds = 10
        @Option var rounds = 3
        @Option var depth = 25
        @Option var levels = 10
        func run() throws {
            try LiveCostBenchmark(
                receive: ReceiveBenchmark(rate: rate, warmup: warmup, seconds: seconds, depth: depth, levels: levels),
                rounds: rounds
            ).run()
        }
    }
}
