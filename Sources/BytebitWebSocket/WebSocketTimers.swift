/// A connection's deadlines: connect, idle, client pings, ticks and the close grace. The C shim only
/// moves frames; this decides when to give up, ping or tick, from what the shim reports and the time.
/// Pure: times are offsets from the start of the run, so tests drive it with any clock.
struct WebSocketTimers {
    /// Where the connection stands, as the shim reports it.
    enum Phase: Equatable {
        case connecting, open, closing, ended
    }

    /// One look at the shim after a service pass.
    struct Observation: Equatable {
        var phase: Phase
        /// Data frames received so far in this run (only grows).
        var framesReceived: UInt64 = 0
        /// Pongs received so far in this run (only grows).
        var pongsReceived: UInt64 = 0
        /// `stop()` or `closeConnection()` was called.
        var stopRequested = false
    }

    /// Why the loop ends the connection itself.
    enum Reason: Equatable {
        case connectTimeout, idleTimeout, pingTimeout, stopped
    }

    enum Action: Equatable {
        /// Drop the connection now, without a close frame (`nil`: keep the ending already recorded).
        case abort(Reason?)
        /// Close politely (close 1000); the peer's reply ends the run, the close grace bounds the wait.
        case close(Reason)
        /// Send a protocol ping.
        case ping
        /// Call the handler's `webSocketDidTick()`.
        case tick
    }

    let connectTimeout: Duration
    let idleTimeout: Duration?
    let pingInterval: Duration?
    let pingTimeout: Duration
    let tickInterval: Duration?
    let closeGrace: Duration

    private var framesSeen: UInt64 = 0
    private var pongsSeen: UInt64 = 0
    private var openedAt: Duration?
    private var lastHeardAt: Duration = .zero
    private var lastPingAt: Duration = .zero
    private var pingSentAt: Duration?
    private var nextTickAt: Duration?
    private var wakeUp: WebSocketWakeUp = .everyTickInterval
    private var closingSince: Duration?
    private var phase: Phase = .connecting

    init(_ configuration: WebSocketClientConfiguration) {
        connectTimeout = configuration.connectTimeout
        idleTimeout = configuration.idleTimeout
        pingInterval = configuration.pingInterval
        pingTimeout = configuration.pingTimeout
        tickInterval = configuration.tickInterval
        closeGrace = configuration.closeGrace
    }

    /// The handler's latest answer to "when do you need a tick?", asked at `now`.
    mutating func handlerWants(_ wakeUp: WebSocketWakeUp, at now: Duration) {
        let previous = self.wakeUp
        self.wakeUp = wakeUp
        guard openedAt != nil else { return }
        switch wakeUp {
        case .everyTickInterval:
            // Back to the cadence: keep a tick already scheduled by it, else start one.
            if previous != .everyTickInterval || nextTickAt == nil { nextTickAt = tickInterval.map { now + $0 } }
        case .after(let delay):
            nextTickAt = now + max(delay, .zero)
        case .never:
            nextTickAt = nil
        }
    }

    /// What to do now; every deadline that is due is acted on, so `nextDeadline` is then in the future.
    mutating func advance(_ observation: Observation, at now: Duration) -> [Action] {
        phase = observation.phase
        switch observation.phase {
        case .ended:
            return []
        case .connecting:
            if observation.stopRequested { return [.abort(.stopped)] }
            return now >= connectTimeout ? [.abort(.connectTimeout)] : []
        case .closing:
            let since = closingSince ?? now
            closingSince = since
            return now >= since + closeGrace ? [.abort(nil)] : []
        case .open:
            return advanceOpen(observation, at: now)
        }
    }

    private mutating func advanceOpen(_ observation: Observation, at now: Duration) -> [Action] {
        if openedAt == nil {
            openedAt = now
            lastHeardAt = now
            lastPingAt = now
            nextTickAt = tickInterval.map { now + $0 }
            handlerWants(wakeUp, at: now)
        }
        if observation.stopRequested {
            closingSince = now
            phase = .closing
            return [.close(.stopped)]
        }
        if observation.framesReceived != framesSeen {
            framesSeen = observation.framesReceived
            lastHeardAt = now
        }
        if observation.pongsReceived != pongsSeen {
            // A pong proves the peer alive but is not a message: it does not reset the idle deadline.
            pongsSeen = observation.pongsReceived
            pingSentAt = nil
        }
        if let idleTimeout, now >= lastHeardAt + idleTimeout { return [.abort(.idleTimeout)] }
        var actions: [Action] = []
        if let pingInterval {
            if let pingSentAt {
                if now >= pingSentAt + pingTimeout { return [.abort(.pingTimeout)] }
            } else if now >= lastPingAt + pingInterval {
                pingSentAt = now
                lastPingAt = now
                actions.append(.ping)
            }
        }
        if let due = nextTickAt, now >= due {
            // On the cadence the next tick follows; otherwise the handler says when (asked after the tick).
            nextTickAt = wakeUp == .everyTickInterval ? tickInterval.map { now + $0 } : nil
            actions.append(.tick)
        }
        return actions
    }

    /// The earliest offset at which `advance` will act (nil: nothing is scheduled; wait for the socket).
    var nextDeadline: Duration? {
        switch phase {
        case .ended:
            return nil
        case .connecting:
            return connectTimeout
        case .closing:
            return closingSince.map { $0 + closeGrace }
        case .open:
            guard openedAt != nil else { return .zero }
            // A running minimum, no array: asked once per wake-up of the loop, so once per message
            // of a quiet connection (an allocation each, issue 10).
            var earliest = nextTickAt
            func consider(_ candidate: Duration) {
                if earliest.map({ candidate < $0 }) ?? true { earliest = candidate }
            }
            if let idleTimeout { consider(lastHeardAt + idleTimeout) }
            if let pingInterval { consider(pingSentAt.map { $0 + pingTimeout } ?? lastPingAt + pingInterval) }
            return earliest
        }
    }
}
