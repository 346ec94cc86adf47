import CWebSockets

/// The client's run loop: the C shim moves frames; this side keeps the deadlines (`WebSocketTimers`)
/// and tells libwebsockets how long it may wait for the socket.
extension WebSocketClient {
    /// The run loop: acts on due deadlines, then lets libwebsockets wait for the socket until the next one.
    func serviceUntilEnded(handler: any WebSocketHandler, clock: ContinuousClock, start: ContinuousClock.Instant) {
        var timers = WebSocketTimers(configuration)
        while true {
            // One clock reading per wake-up unless actions ran (a quiet connection wakes once per
            // message, issue 10); after them the time is read again, so no deadline is waited past.
            var now = clock.now - start
            // Frames just received may have moved the handler's own deadlines.
            timers.handlerWants(handler.nextWakeUp, at: now)
            let observation = observe()
            let actions = timers.advance(observation, at: now)
            if actions.isEmpty {
                // Nothing ran since the look: it still holds.
                if observation.phase == .ended { return }
            } else {
                for action in actions {
                    perform(action, handler: handler)
                }
                now = clock.now - start
                if actions.contains(.tick) { timers.handlerWants(handler.nextWakeUp, at: now) }
                if observe().phase == .ended { return }
            }
            let timeout = timers.nextDeadline.map { $0 - now }
            _ = bb_ws_client_service(client, timeout.map(\.serviceTimeoutMicroseconds) ?? -1)
        }
    }

    private func observe() -> WebSocketTimers.Observation {
        var status = bb_ws_client_status()
        bb_ws_client_status_get(client, &status)
        return WebSocketTimers.Observation(
            phase: WebSocketTimers.Phase(status.phase), framesReceived: status.frames_received,
            pongsReceived: status.pongs_received, stopRequested: status.stop_requested != 0)
    }

    private func perform(_ action: WebSocketTimers.Action, handler: any WebSocketHandler) {
        switch action {
        case .abort(let reason): bb_ws_client_abort(client, reason.endKind)
        case .close(let reason): bb_ws_client_begin_close(client, Optional(reason).endKind, 1000)
        case .ping: bb_ws_client_ping(client)
        case .tick: handler.webSocketDidTick()
        }
    }
}

extension WebSocketTimers.Phase {
    init(_ phase: bb_ws_phase) {
        switch phase {
        case BB_WS_PHASE_CONNECTING: self = .connecting
        case BB_WS_PHASE_OPEN: self = .open
        case BB_WS_PHASE_CLOSING: self = .closing
        default: self = .ended
        }
    }
}

extension Optional<WebSocketTimers.Reason> {
    /// The C ending a loop decision records (`nil`: keep the one already recorded).
    var endKind: bb_ws_end_kind {
        switch self {
        case .connectTimeout: BB_WS_END_CONNECT_TIMEOUT
        case .idleTimeout: BB_WS_END_IDLE_TIMEOUT
        case .pingTimeout: BB_WS_END_PING_TIMEOUT
        case .stopped: BB_WS_END_STOPPED
        case nil: BB_WS_END_NONE
        }
    }
}

extension Duration {
    /// Microseconds to wait for a deadline this far away: rounded up (waking early would spin), 0 when due.
    var serviceTimeoutMicroseconds: Int64 {
        guard self > .zero else { return 0 }
        let (seconds, attoseconds) = components
        let micros = seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !micros.overflow else { return Int64.max / 1000 }
        let fraction = (attoseconds + 999_999_999_999) / 1_000_000_000_000
        return min(micros.partialValue + fraction, Int64.max / 1000)
    }
}
