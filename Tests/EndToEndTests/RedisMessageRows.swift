import Foundation
import RedisTestSupport

/// Redis messages (SPEC §9 JSON) turned back into the cells of the file rows they stand for, by the
/// test's own JSON parser, so they can be compared with the files cell for cell.
enum RedisMessageRows {
    static func object(_ payload: String) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(payload.utf8))
        guard let object = parsed as? [String: Any] else { throw RecordingProblem("not a JSON object: \(payload)") }
        return object
    }

    /// A book message as an order book row without its `mid_price` cell, for `levels` levels.
    static func bookCells(_ payload: String, levels: Int) throws -> [String] {
        let message = try object(payload)
        guard let timestamp = message["timestamp"] as? String, let received = message["received_at"] as? String,
              let bids = message["bids"] as? [[String]], let asks = message["asks"] as? [[String]]
        else { throw RecordingProblem("not a book message: \(payload)") }
        var cells = [timestamp, received]
        let paddedBids = Array(repeating: ["", ""], count: max(0, levels - bids.count)) + bids.reversed()
        for level in paddedBids { cells += [level[1], level[0]] }
        let paddedAsks = asks + Array(repeating: ["", ""], count: max(0, levels - asks.count))
        for level in paddedAsks { cells += [level[1], level[0]] }
        return cells
    }

    /// A file row without its `mid_price` cell.
    static func withoutMid(_ row: [String], levels: Int) -> [String] {
        var cells = row
        cells.remove(at: 2 + 2 * levels)
        return cells
    }

    /// A trade message as a trades row.
    static func tradeCells(_ payload: String) throws -> [String] {
        let message = try object(payload)
        guard let id = message["trade_id"] as? NSNumber else { throw RecordingProblem("no trade_id: \(payload)") }
        return try ["timestamp", "received_at"].map { try string(message, $0) } + ["\(id.uint64Value)"]
            + ["side", "price", "qty", "ord_type"].map { try string(message, $0) }
    }

    static func pair(_ payload: String) -> String? {
        (try? object(payload))?["pair"] as? String
    }

    private static func string(_ message: [String: Any], _ key: String) throws -> String {
        guard let value = message[key] as? String else { throw RecordingProblem("no \(key) string in \(message)") }
        return value
    }
}
