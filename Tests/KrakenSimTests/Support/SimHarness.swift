import BytebitCore
import KrakenSim
import Logging

/// An exchange driven by a manual clock and recorded by a fake transport.
final class SimHarness {
    static let realStart = UTCTimestamp("2026-11-21T12:00:00Z") ?? UTCTimestamp(microsecondsSince1970: 0)

    let clock = ManualClock(SimHarness.realStart)
    let output = RecordingOutput()
    let truth = SimTruthLog()
    let exchange: KrakenExchange

    init(_ options: SimOptions = SimOptions()) throws {
        var logger = Logger(label: "kraken-sim-tests")
        logger.logLevel = .critical
        exchange = try KrakenExchange(options: options, output: output, clock: clock, truth: truth, logger: logger)
    }

    /// Opens connection `number` and returns its id.
    @discardableResult
    func open(_ number: UInt64) -> SimConnectionID {
        let id = SimConnectionID(number)
        exchange.connectionOpened(id)
        return id
    }

    func send(_ text: String, from id: SimConnectionID) {
        exchange.received(text, from: id)
    }

    /// Moves real time on in 10 ms ticks, as the server thread does.
    func run(seconds: Double, tickMilliseconds: Int64 = 10) {
        let ticks = Int64(seconds * 1000) / tickMilliseconds
        for _ in 0..<ticks {
            clock.advance(microseconds: tickMilliseconds * 1000)
            exchange.tick(now: clock.now())
        }
    }

    func subscribeBook(_ symbols: [String], depth: Int, from id: SimConnectionID, reqID: Int = 1) {
        let list = symbols.map { "\"\($0)\"" }.joined(separator: ",")
        send(
            #"{"method":"subscribe","params":{"channel":"book","symbol":[\#(list)],"depth":\#(depth)},"req_id":\#(reqID)}"#,
            from: id)
    }

    func subscribeTrades(_ symbols: [String], snapshot: Bool, from id: SimConnectionID, reqID: Int = 2) {
        let list = symbols.map { "\"\($0)\"" }.joined(separator: ",")
        send(
            #"{"method":"subscribe","params":{"channel":"trade","symbol":[\#(list)],"snapshot":\#(snapshot)},"req_id":\#(reqID)}"#,
            from: id)
    }
}

/// The parsed channel frames of a list, skipping responses and heartbeats.
func channelFrames(_ frames: [String], channel: String) throws -> [RawJSON] {
    try frames.map { try RawJSON.parse($0) }.filter { $0["channel"]?.string == channel }
}
