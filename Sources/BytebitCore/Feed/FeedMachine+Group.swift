/// A pair Kraken does not list, in a group of markets on one connection (SPEC §7): held, not exited.
extension FeedMachine {
    /// The pair is absent from the instrument snapshot, or an update lists it as delisted: one row,
    /// its data channels unsubscribed, nothing more until an instrument update lists it again.
    mutating func holdPair(_ now: UTCTimestamp) -> [FeedAction] {
        guard !isPairHeld else { return [] }
        let wasRecording = session?.channels[.instrument] == .live
        isPairHeld = true
        channelWentLive(.instrument, now)
        guard wasRecording else {
            return [.recordEvent(
                name: .rejected,
                detail: "\(configuration.symbol) is absent from Kraken's instrument list; held until Kraken lists it")]
        }
        var actions: [FeedAction] = [
            .recordEvent(name: .delisted, detail: "\(configuration.symbol) delisted by Kraken; recording stopped")
        ]
        for channel in configuration.recordedChannels where !channel.isReference {
            switch session?.channels[channel] {
            case .subscribing?, .awaitingSnapshot?, .live?, .unsubscribing?:
                actions.append(unsubscribe(channel))
            case .idle?, .coolingDown?, .backingOff?, nil:
                break
            }
            session?.channels[channel] = .idle
        }
        if configuration.recordsBook { actions.append(.resetBook) }
        return actions
    }
}
