import Foundation
import KrakenSim

/// The real Kraken instrument snapshot copied into Fixtures/ (see Fixtures/README.md).
enum InstrumentFixture {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/kraken-data-recorder_instrument_snapshot.json").path

    /// The fixture's online pairs as the simulator loads them.
    static func pairs(seed: UInt64 = 1) throws -> [SimPair] {
        try SimPair.loadInstrumentFile(path, seed: seed)
    }

    /// symbol → (price_precision, qty_precision) of every online pair, read independently of the loader.
    static func onlinePrecisions() throws -> [String: (Int, Int)] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let body = object?["data"] as? [String: Any]
        let entries = body?["pairs"] as? [[String: Any]] ?? []
        var result: [String: (Int, Int)] = [:]
        for entry in entries where entry["status"] as? String == "online" {
            guard let symbol = entry["symbol"] as? String, let price = entry["price_precision"] as? Int,
                let qty = entry["qty_precision"] as? Int
            else { continue }
            result[symbol] = (price, qty)
        }
        return result
    }
}
