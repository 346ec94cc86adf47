import BytebitCore
import Foundation
import Testing

/// The commands with many pairs: `bytebit check` loads every online Kraken pair and prints the
/// groups (`bytebit run` with groups and `all_markets`: SupervisorGroupedRunTests).
@Suite struct SupervisorGroupingCommandTests {
    static let onlineSymbols: [String] = {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BytebitCoreTests/Fixtures/kraken-data-recorder_instrument_snapshot.json")
        guard let bytes = try? [UInt8](Data(contentsOf: fixture)) else { return [] }
        var decoder = KrakenDecoder()
        guard case .instrument(let message) = try? decoder.decode(bytes) else { return [] }
        return message.pairs.filter { $0.status == "online" }.map(\.symbol)
    }()

    @Test func checkAcceptsEveryOnlinePairAndPrintsTheGroups() throws {
        let folder = try makeTemporaryDirectory("check-672")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(Self.onlineSymbols.count == 672)
        let names = Self.onlineSymbols.map { $0.replacingOccurrences(of: "/", with: "-") }
        let yaml = "markets:\n" + names.map { "  - \($0)\n" }.joined()
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("config.yaml"))
        let result = try runProduct("bytebit", ["check"], in: folder, workingDirectory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let groups = MarketGrouping.groups(for: names.compactMap { MarketPair(parsing: $0) }, setting: .auto)
        #expect(result.stdout.contains("\(groups.count) collectors (connections) for 672 markets:"))
        #expect(result.stdout.contains("ETH2.S-ETH"))
        #expect(result.stdout.contains("672 markets, configuration is valid"))
    }

}
