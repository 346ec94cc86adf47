/// How a collector ended, as the supervisor saw it.
public enum ChildExit: Sendable, Equatable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signalled(Int32)

    public var description: String {
        switch self {
        case .exited(let code):
            ExitStatus(rawValue: code).map { "exited with \($0)" } ?? "exited with status \(code)"
        case .signalled(let signal):
            "killed by signal \(signal)\(Self.signalNames[signal].map { " (\($0))" } ?? "")"
        }
    }

    /// The exit status when it was a known bytebit status.
    public var status: ExitStatus? {
        if case .exited(let code) = self { ExitStatus(rawValue: code) } else { nil }
    }

    private static let signalNames: [Int32: String] = [
        1: "SIGHUP", 2: "SIGINT", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM", 4: "SIGILL",
        5: "SIGTRAP", 7: "SIGBUS", 8: "SIGFPE",
    ]
}

/// The supervisor's answer to a collector that exited on its own.
public enum RestartDecision: Sendable, Equatable {
    /// Start it again after this many microseconds.
    case restart(afterMicroseconds: Int64)
    /// Do not restart it until its configuration changes: restarting cannot fix this exit.
    case holdUntilConfigChanges
}

/// Restart timing: exponential backoff with jitter, forgiven once a child has been healthy.
public struct RestartPolicy: Sendable, Equatable {
    /// The delay before the first restart after a healthy run, in microseconds.
    public var initialDelayMicroseconds: Int64
    /// The longest delay, in microseconds.
    public var maximumDelayMicroseconds: Int64
    /// How much of the delay jitter may add or take away, 0 to 1: spreads restarts of many children.
    public var jitterFraction: Double
    /// A child that ran at least this long (microseconds) was healthy: its backoff starts over.
    public var healthyAfterMicroseconds: Int64

    /// The production policy: 1 s doubling to 60 s, ±20 % jitter, reset after 60 s of health.
    public init(
        initialDelayMicroseconds: Int64 = 1_000_000, maximumDelayMicroseconds: Int64 = 60_000_000,
        jitterFraction: Double = 0.2, healthyAfterMicroseconds: Int64 = 60_000_000
    ) {
        self.initialDelayMicroseconds = max(1, initialDelayMicroseconds)
        self.maximumDelayMicroseconds = max(self.initialDelayMicroseconds, maximumDelayMicroseconds)
        self.jitterFraction = min(max(jitterFraction, 0), 1)
        self.healthyAfterMicroseconds = healthyAfterMicroseconds
    }
}

/// One child's restart history: the state machine the supervisor consults when a child exits.
public struct RestartBackoff: Sendable, Equatable {
    /// The policy in force.
    public let policy: RestartPolicy
    /// Exits in a row without a healthy run in between.
    public private(set) var consecutiveFailures = 0

    /// A fresh history under `policy`.
    public init(policy: RestartPolicy) {
        self.policy = policy
    }

    /// Records an exit the supervisor did not ask for and decides what to do.
    /// `ranForMicroseconds`: how long the child ran; `jitter` in -1...1 (random in production).
    public mutating func childExited(_ exit: ChildExit, ranForMicroseconds: Int64, jitter: Double) -> RestartDecision {
        if ranForMicroseconds >= policy.healthyAfterMicroseconds { consecutiveFailures = 0 }
        if exit.status?.isPermanentForSameConfig == true {
            consecutiveFailures = 0
            return .holdUntilConfigChanges
        }
        let base = Self.delay(failures: consecutiveFailures, policy: policy)
        consecutiveFailures += 1
        let spread = Double(base) * policy.jitterFraction * min(max(jitter, -1), 1)
        let jittered = min(max(1, base + Int64(spread.rounded())), policy.maximumDelayMicroseconds)
        return .restart(afterMicroseconds: jittered)
    }

    /// Forgets the history (the configuration changed, or the operator reloaded).
    public mutating func reset() {
        consecutiveFailures = 0
    }

    /// `initial × 2^failures`, capped at the maximum without overflowing.
    static func delay(failures: Int, policy: RestartPolicy) -> Int64 {
        var delay = policy.initialDelayMicroseconds
        for _ in 0..<failures where delay < policy.maximumDelayMicroseconds {
            delay = delay > policy.maximumDelayMicroseconds / 2 ? policy.maximumDelayMicroseconds : delay * 2
        }
        return min(delay, policy.maximumDelayMicroseconds)
    }
}
