import Foundation

/// A pair universe from an instrument snapshot in Kraken's own format (`{"channel":"instrument",
/// "type":"snapshot","data":{"pairs":[…]}}`): every `online` pair, with its precisions from the file.
///
/// The file carries no prices, so each pair gets a plausible seeded market: an anchor of 5–6
/// significant digits at its price precision (Kraken sizes precision to the price), and a share of
/// the total message rate that follows Zipf's law over a seeded ranking — a few busy pairs and a long
/// quiet tail, as on a real exchange. Only integers and names are read, so JSONSerialization loses
/// nothing exact.
extension SimPair {
    /// Zipf exponent of the rate shares: 1 gives the busiest of 672 pairs ~14% of the messages and the
    /// quietest ~0.02%.
    static let rateSkewExponent = 1.0

    /// The online pairs of the snapshot at `path`, shares of the rate summing to 1.
    public static func loadInstrumentFile(_ path: String, seed: UInt64) throws(SimError) -> [SimPair] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .pairsFile(path: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        return try parseInstrumentSnapshot(data, path: path, seed: seed)
    }

    /// The online pairs of an instrument snapshot's bytes; `path` names it in errors.
    public static func parseInstrumentSnapshot(_ data: Data, path: String, seed: UInt64) throws(SimError) -> [SimPair] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let body = object["data"] as? [String: Any], let entries = body["pairs"] as? [[String: Any]]
        else { throw .pairsFile(path: path, reason: "is not an instrument snapshot with data.pairs") }
        var random = SeededGenerator(seed: seed ^ 0x5041_4952_5346_494C)
        var pairs: [SimPair] = []
        var seen: Set<String> = []
        for (index, entry) in entries.enumerated() {
            guard entry["status"] as? String == "online" else { continue }
            guard let symbol = entry["symbol"] as? String, let base = entry["base"] as? String,
                let quote = entry["quote"] as? String,
                let pricePrecision = (entry["price_precision"] as? NSNumber).flatMap({ Int8(exactly: $0.intValue) }),
                let qtyPrecision = (entry["qty_precision"] as? NSNumber).flatMap({ Int8(exactly: $0.intValue) }),
                (0...12).contains(pricePrecision), (0...12).contains(qtyPrecision)
            else { throw .pairsFile(path: path, reason: "pair \(index + 1) lacks symbol/base/quote/precisions") }
            guard seen.insert(symbol).inserted else {
                throw .pairsFile(path: path, reason: "pair \(symbol) is listed twice")
            }
            pairs.append(plausiblePair(symbol: symbol, base: base, quote: quote,
                pricePrecision: pricePrecision, qtyPrecision: qtyPrecision, random: &random))
        }
        guard !pairs.isEmpty else { throw .pairsFile(path: path, reason: "lists no online pair") }
        assignZipfShares(&pairs, random: &random)
        return pairs
    }

    /// A listed pair with a seeded starting market (also used for pairs listed live).
    static func plausiblePair(
        symbol: String, base: String, quote: String, pricePrecision: Int8, qtyPrecision: Int8,
        random: inout SeededGenerator
    ) -> SimPair {
        let anchor = random.int(in: 10_000...999_999)
        // A pair quoted with many decimals is cheap: it trades in larger sizes.
        let magnitude = max(0, min(4, Int(pricePrecision) - 2))
        return SimPair(
            symbol: symbol, base: base, quote: quote, pricePrecision: pricePrecision, qtyPrecision: qtyPrecision,
            anchorPriceUnits: anchor, maxLevelGapUnits: random.int(in: 1...5), qtyMagnitude: magnitude,
            firstTradeID: random.int(in: 1_000...90_000_000), relativeRate: 1)
    }

    /// Shares 1/rank^s over a seeded ranking, normalised to sum to 1.
    private static func assignZipfShares(_ pairs: inout [SimPair], random: inout SeededGenerator) {
        var ranks = Array(1...pairs.count)
        for index in stride(from: ranks.count - 1, to: 0, by: -1) {
            let other = Int(random.int(in: 0...Int64(index)))
            ranks.swapAt(index, other)
        }
        let weights = ranks.map { 1 / pow(Double($0), rateSkewExponent) }
        let total = weights.reduce(0, +)
        for index in pairs.indices { pairs[index].relativeRate = weights[index] / total }
    }
}
