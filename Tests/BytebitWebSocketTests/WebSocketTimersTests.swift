import Testing

@testable import BytebitWebSocket

/// The run loop's deadlines, driven by hand: times are offsets from the start of the run.
@Suite struct WebSocketTimersTests {
    static func timers(
        connectTimeout: Duration = .seconds(10), idleTimeout: Duration? = nil, pingInterval: Duration? = nil,
        pingTimeout: Duration = .seconds(5), tickInterval: Duration? = nil, closeGrace: Duration = .seconds(1)
    ) throws -> WebSocketTimers {
        WebSocketTimers(
            WebSocketClientConfiguration(
                url: try WebSocketURL("ws://127.0.0.1:1/v2"), connectTimeout: connectTimeout,
                idleTimeout: idleTimeout, pingInterval: pingInterval, pingTimeout: pingTimeout,
                tickInterval: tickInterval, closeGrace: closeGrace))
    }

    static let connecting = WebSocketTimers.Observation(phase: .connecting)
    static let open = WebSocketTimers.Observation(phase: .open)

    @Test func theConnectDeadlineFiresAtTheConnectTimeoutAndNotBefore() throws {
        var timers = try Self.timers(connectTimeout: .seconds(10))
        #expect(timers.advance(Self.connecting, at: .milliseconds(9_999)).isEmpty)
        #expect(timers.nextDeadline == .seconds(10))
        #expect(timers.advance(Self.connecting, at: .seconds(10)) == [.abort(.connectTimeout)])
    }

    @Test func aStopWhileConnectingAbandonsTheAttempt() throws {
        var timers = try Self.timers()
        var stopped = Self.connecting
        stopped.stopRequested = true
        #expect(timers.advance(stopped, at: .seconds(1)) == [.abort(.stopped)])
    }

    @Test func ticksComeEveryIntervalWhileOpenOnly() throws {
        var timers = try Self.timers(tickInterval: .milliseconds(100))
        #expect(timers.advance(Self.connecting, at: .seconds(1)).isEmpty, "no ticks before the upgrade")
        #expect(timers.advance(Self.open, at: .seconds(2)).isEmpty)
        #expect(timers.nextDeadline == .milliseconds(2_100))
        #expect(timers.advance(Self.open, at: .milliseconds(2_099)).isEmpty)
        #expect(timers.advance(Self.open, at: .milliseconds(2_100)) == [.tick])
        #expect(timers.nextDeadline == .milliseconds(2_200))
        #expect(timers.advance(WebSocketTimers.Observation(phase: .closing), at: .seconds(3)).isEmpty)
    }

    @Test func framesPostponeTheIdleDeadlineAndPongsDoNot() throws {
        var timers = try Self.timers(idleTimeout: .seconds(2), pingInterval: .seconds(1), pingTimeout: .seconds(10))
        _ = timers.advance(Self.open, at: .zero)
        var seen = Self.open
        seen.framesReceived = 1
        #expect(timers.advance(seen, at: .milliseconds(900)).isEmpty)
        #expect(timers.advance(seen, at: .seconds(1)) == [.ping])
        seen.pongsReceived = 1
        #expect(timers.advance(seen, at: .milliseconds(1_800)).isEmpty)
        #expect(timers.advance(seen, at: .milliseconds(2_100)) == [.ping], "the frame at 0.9 s moved idle to 2.9 s")
        #expect(timers.nextDeadline == .milliseconds(2_900), "the pong at 1.8 s did not move it")
        #expect(timers.advance(seen, at: .milliseconds(2_900)) == [.abort(.idleTimeout)])
    }

    @Test func anUnansweredPingEndsTheRunAfterThePingTimeout() throws {
        var timers = try Self.timers(pingInterval: .seconds(1), pingTimeout: .milliseconds(500))
        _ = timers.advance(Self.open, at: .zero)
        #expect(timers.advance(Self.open, at: .seconds(1)) == [.ping])
        #expect(timers.nextDeadline == .milliseconds(1_500), "no second ping while one is outstanding")
        #expect(timers.advance(Self.open, at: .milliseconds(1_499)).isEmpty)
        #expect(timers.advance(Self.open, at: .milliseconds(1_500)) == [.abort(.pingTimeout)])
    }

    @Test func anAnsweredPingSchedulesTheNextOne() throws {
        var timers = try Self.timers(pingInterval: .seconds(1), pingTimeout: .milliseconds(500))
        _ = timers.advance(Self.open, at: .zero)
        #expect(timers.advance(Self.open, at: .seconds(1)) == [.ping])
        var answered = Self.open
        answered.pongsReceived = 1
        #expect(timers.advance(answered, at: .milliseconds(1_200)).isEmpty)
        #expect(timers.nextDeadline == .seconds(2))
        #expect(timers.advance(answered, at: .seconds(2)) == [.ping])
    }

    @Test func aStopWhileOpenClosesPolitelyAndTheGraceBoundsTheWait() throws {
        var timers = try Self.timers(closeGrace: .seconds(1))
        _ = timers.advance(Self.open, at: .zero)
        var stopped = Self.open
        stopped.stopRequested = true
        #expect(timers.advance(stopped, at: .seconds(5)) == [.close(.stopped)])
        var closing = stopped
        closing.phase = .closing
        #expect(timers.advance(closing, at: .milliseconds(5_999)).isEmpty)
        #expect(timers.nextDeadline == .seconds(6))
        #expect(timers.advance(closing, at: .seconds(6)) == [.abort(nil)], "the recorded ending is kept")
    }

    @Test func anOpenConnectionWithoutTimersHasNoDeadline() throws {
        var timers = try Self.timers(tickInterval: nil)
        _ = timers.advance(Self.open, at: .zero)
        #expect(timers.nextDeadline == nil)
    }

    @Test func aHandlerWithNothingDueGetsNoTicksAndNoDeadline() throws {
        var timers = try Self.timers(tickInterval: .milliseconds(100))
        _ = timers.advance(Self.open, at: .zero)
        timers.handlerWants(.never, at: .zero)
        #expect(timers.nextDeadline == nil)
        #expect(timers.advance(Self.open, at: .seconds(60)).isEmpty)
    }

    @Test func aHandlerDeadlineIsKeptAcrossPassesAndTicksOnce() throws {
        var timers = try Self.timers(tickInterval: .milliseconds(100))
        _ = timers.advance(Self.open, at: .zero)
        // The handler's own deadline is at 5 s; it answers with the time left whenever asked.
        for now in [Duration.zero, .seconds(1), .milliseconds(4_500)] {
            timers.handlerWants(.after(.seconds(5) - now), at: now)
            #expect(timers.advance(Self.open, at: now).isEmpty)
            #expect(timers.nextDeadline == .seconds(5))
        }
        #expect(timers.advance(Self.open, at: .seconds(5)) == [.tick])
        #expect(timers.nextDeadline == nil, "the next tick waits for the handler's next answer")
        timers.handlerWants(.everyTickInterval, at: .seconds(5))
        #expect(timers.nextDeadline == .milliseconds(5_100), "back on the cadence")
    }
}
