import KrakenSim

/// A fake transport: records what the exchange asked for, in order.
final class RecordingOutput: SimOutput {
    enum Event: Equatable {
        case sent(String, SimConnectionID)
        case closed(SimConnectionID, code: Int, reason: String)
        case dropped(SimConnectionID)
    }

    private(set) var events: [Event] = []
    private var readIndex: [SimConnectionID: Int] = [:]

    func send(_ text: String, to connection: SimConnectionID) {
        events.append(.sent(text, connection))
    }

    func close(_ connection: SimConnectionID, code: Int, reason: String) {
        events.append(.closed(connection, code: code, reason: reason))
    }

    func drop(_ connection: SimConnectionID) {
        events.append(.dropped(connection))
    }

    /// Every frame sent to `connection`, in order.
    func frames(to connection: SimConnectionID) -> [String] {
        events.compactMap { event in
            if case .sent(let text, let id) = event, id == connection { return text }
            return nil
        }
    }

    /// The frames sent to `connection` since the last call.
    func newFrames(to connection: SimConnectionID) -> [String] {
        let all = frames(to: connection)
        let start = readIndex[connection, default: 0]
        readIndex[connection] = all.count
        return Array(all[start...])
    }

    func wasDropped(_ connection: SimConnectionID) -> Bool {
        events.contains(.dropped(connection))
    }
}
