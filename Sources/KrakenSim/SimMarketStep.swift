/// What one step of a simulated market changed: enough for each subscription to tell whether its
/// window moved, and which prices to send twice in one message.
struct SimMarketStep: Sendable {
    /// The smallest book index touched on the bid side (Int.max: untouched). A window of depth d is
    /// unchanged when every touched index is >= d.
    var shallowestBidIndex = Int.max
    var shallowestAskIndex = Int.max
    /// Prices whose quantity passed through an intermediate value in this step: price → that qty.
    var intermediateBids: [Int64: Int64] = [:]
    var intermediateAsks: [Int64: Int64] = [:]
    /// Trades of this step, in order; they share the step's timestamp.
    var trades: [SimTrade] = []

    mutating func touch(isBid: Bool, index: Int) {
        if isBid {
            shallowestBidIndex = min(shallowestBidIndex, index)
        } else {
            shallowestAskIndex = min(shallowestAskIndex, index)
        }
    }

    func changesWindow(depth: Int) -> Bool {
        shallowestBidIndex < depth || shallowestAskIndex < depth
    }
}
