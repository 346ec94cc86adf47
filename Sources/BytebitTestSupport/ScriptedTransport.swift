import BytebitCollector
import BytebitCore
import Foundation

/// One step of a scripted connection.
public enum ScriptStep {
    /// The server sends this text frame, a millisecond after the previous step.
    case frame(String)
    /// Time passes on the manual clock, in 100 ms ticks (as the real transport ticks).
    case advance(microseconds: Int64)
    /// The files' writer writes everything handed over so far before the script goes on.
    case settleFiles
    /// Something the test does at this point (on the recorder's thread), e.g. repair the disk.
    case perform(() -> Void)
}

/// How a scripted connection ends once its steps are played.
public enum ScriptedEnding: Sendable, Equatable {
    /// The server drops the connection with this reason.
    case closedByServer(String)
    /// The operator stops the recorder (SIGTERM) while this connection is open.
    case stopRecorder
}

/// One connection of a script: it opens (or is refused), plays its steps, then ends.
public struct ScriptedConnection {
    public var refusal: String?
    public var steps: [ScriptStep]
    public var ending: ScriptedEnding

    public init(_ steps: [ScriptStep], ending: ScriptedEnding = .stopRecorder) {
        self.steps = steps
        self.ending = ending
    }

    /// An attempt that never opens.
    public static func refused(_ reason: String) -> ScriptedConnection {
        var connection = ScriptedConnection([], ending: .closedByServer(reason))
        connection.refusal = reason
        return connection
    }
}

/// A transport that plays scripted connections on the recorder's thread, with a manual clock, and
/// keeps every request the recorder sent. After the last connection the recorder is stopped.
public final class ScriptedTransport: RecorderTransport, @unchecked Sendable {
    public static let tickMicroseconds: Int64 = 100_000
    /// Frames arrive this far apart, so each has a receive time of its own.
    public static let frameSpacingMicroseconds: Int64 = 1_000

    public let clock: ManualClock
    private let lock = NSLock()
    private var connections: [ScriptedConnection]
    private var sent: [String] = []
    private var isStopped = false
    private var isClosedByRecorder = false
    private var openedCount = 0
    /// Answers owed to the recorder's pings, delivered before the next step (as Kraken answers).
    private var pendingPongs: [String] = []
    private var wakeUps: [Int64?] = []
    /// Called (on the recorder's thread) when the script asks for a stop: the harness stops the recorder.
    public var onStopRequest: (@Sendable () -> Void)?
    /// Called for `.settleFiles`: the harness hands the rows over and waits for the writer.
    public var onSettleFiles: (() -> Void)?

    public init(clock: ManualClock, connections: [ScriptedConnection]) {
        self.clock = clock
        self.connections = connections
    }

    /// Every text the recorder sent, in order.
    public var sentRequests: [String] { lock.withLock { sent } }

    /// The recorder's answer to "how long until your next tick?" after each frame, in order.
    public var askedWakeUps: [Int64?] { lock.withLock { wakeUps } }

    /// Connections that opened.
    public var openedConnections: Int { lock.withLock { openedCount } }

    public func runConnection(handler: any RecorderTransportHandler) -> TransportEnding {
        let next: ScriptedConnection? = lock.withLock {
            isClosedByRecorder = false
            guard !isStopped, !connections.isEmpty else { return nil }
            return connections.removeFirst()
        }
        guard let connection = next else {
            onStopRequest?()
            return TransportEnding("script played")
        }
        if let refusal = connection.refusal { return TransportEnding(refusal) }
        lock.withLock { openedCount += 1 }
        handler.transportDidOpen()
        for step in connection.steps {
            if let ending = endingIfClosed() { return ending }
            deliverPongs(to: handler)
            switch step {
            case .frame(let text):
                clock.advance(microseconds: Self.frameSpacingMicroseconds)
                var bytes = Array(text.utf8)
                bytes.withUnsafeMutableBytes { handler.transportDidReceive(UnsafeRawBufferPointer($0)) }
                let wakeUp = handler.microsecondsUntilNextTick
                lock.withLock { wakeUps.append(wakeUp) }
            case .advance(let microseconds):
                var left = microseconds
                while left > 0 {
                    if endingIfClosed() != nil { break }
                    let step = min(left, Self.tickMicroseconds)
                    clock.advance(microseconds: step)
                    left -= step
                    handler.transportDidTick()
                }
            case .settleFiles:
                onSettleFiles?()
            case .perform(let action):
                action()
            }
        }
        if let ending = endingIfClosed() { return ending }
        switch connection.ending {
        case .closedByServer(let reason):
            return TransportEnding(reason)
        case .stopRecorder:
            onStopRequest?()
            return TransportEnding("stopped")
        }
    }

    private func deliverPongs(to handler: any RecorderTransportHandler) {
        let pongs: [String] = lock.withLock {
            defer { pendingPongs.removeAll() }
            return pendingPongs
        }
        for pong in pongs {
            var bytes = Array(pong.utf8)
            bytes.withUnsafeMutableBytes { handler.transportDidReceive(UnsafeRawBufferPointer($0)) }
        }
    }

    private func endingIfClosed() -> TransportEnding? {
        lock.withLock {
            if isStopped { return TransportEnding("stopped") }
            return isClosedByRecorder ? TransportEnding("closed by the recorder") : nil
        }
    }

    public func send(text: String) {
        lock.withLock {
            sent.append(text)
            if text.contains("\"method\":\"ping\"") { pendingPongs.append(KrakenFrameText.pong(answering: text)) }
        }
    }

    public func closeConnection() {
        lock.withLock { isClosedByRecorder = true }
    }

    public func stop() {
        lock.withLock { isStopped = true }
    }
}

/// The recorder's idle waits on a manual clock: time jumps ahead at once.
public final class ManualIdleWait: IdleWait, @unchecked Sendable {
    public let clock: ManualClock
    private let lock = NSLock()
    private var asked: [Int64] = []

    public init(clock: ManualClock) {
        self.clock = clock
    }

    /// Every wait the loop asked for, in order (a loop that polls shows as many short waits).
    public var waits: [Int64] { lock.withLock { asked } }

    public func wait(microseconds: Int64) {
        lock.withLock { asked.append(microseconds) }
        // At least a microsecond, so a loop waiting on a deadline always gets there.
        clock.advance(microseconds: max(microseconds, 1))
    }

    public func wake() {}
}
