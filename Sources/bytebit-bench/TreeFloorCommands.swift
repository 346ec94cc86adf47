import ArgumentParser
import Foundation

extension BytebitBench {
    struct TreeFloor: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tree-floor",
            abstract: "The 672-pair tree's floor: bare transport clients in 25, 8, 4 and 1 processes beside `bytebit run` (CPU, faults, switches per message).")
        @Option(parsing: .upToNextOption, help: "Layouts: N (bare clients in N processes), N-threads (N connections in one process), tree, tree-N.")
        var layouts = ["25", "8", "4", "25-threads", "tree"]
        @Option var rate = 570
        @Option var warmup = 10
        @Option(help: "Seconds of the measured window per layout.") var seconds = 30
        @Option(help: "The instrument snapshot kraken-sim serves (its online pairs are recorded).")
        var pairsFile = "Tests/KrakenSimTests/Fixtures/kraken-data-recorder_instrument_snapshot.json"
        @Option(help: "Take bytebit, collector and kraken-sim from this folder (another build's).") var binaries: String?
        func run() throws {
            try TreeFloorBenchmark(
                layouts: layouts, rate: rate, warmup: warmup, seconds: seconds, pairsFile: pairsFile, binaries: binaries
            ).run()
        }
    }

    struct TreeFloorClientCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tree-floor-client", abstract: "tree-floor's child: bare clients that discard every frame.",
            shouldDisplay: false)
        @Option var url: String
        @Option var depth = 10
        @Option var countFolder: String
        @Option(help: "Kraken symbols of one connection, comma-separated (repeat for more connections).") var group: [String] = []
        func run() throws {
            try TreeFloorClient.run(
                url: url, depth: depth, countFolder: countFolder, groups: group.map { $0.split(separator: ",").map(String.init) })
        }
    }
}
