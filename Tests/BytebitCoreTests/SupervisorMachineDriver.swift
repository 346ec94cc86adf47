import Foundation
@testable import BytebitCore

/// Drives a `SupervisorMachine` the way `bytebit run` does, with a manual clock: answers every
/// `.spawn` with a fresh pid, keeps the scheduled timers and fires them as time advances, and
/// records every action for the test to look at.
struct SupervisorMachineDriver {
    var machine: SupervisorMachine
    var now = UTCTimestamp(microsecondsSince1970: 1_800_000_000_000_000)
    /// Every action so far, in order.
    var actions: [SupervisorAction] = []
    /// Timers not yet fired.
    var timers: [(timer: SupervisorTimer, at: UTCTimestamp)] = []
    /// Markets whose next spawn fails, with the reason.
    var failingSpawns: [String: String] = [:]
    var nextPID: Int32 = 1000

    init(_ config: BytebitConfig, policy: SupervisorPolicy = SupervisorPolicy(), seed: UInt64 = 7) {
        machine = SupervisorMachine(config: config, policy: policy, random: SeededRandomNumberGenerator(seed: seed))
    }

    /// Feeds `event` now and performs the answer; returns the actions it caused (spawn answers included).
    @discardableResult
    mutating func send(_ event: SupervisorEvent) -> [SupervisorAction] {
        let start = actions.count
        perform(machine.handle(event, at: now))
        return Array(actions[start...])
    }

    private mutating func perform(_ answer: [SupervisorAction]) {
        for action in answer {
            actions.append(action)
            switch action {
            case .spawn(let launch):
                if let reason = failingSpawns.removeValue(forKey: launch.name) {
                    perform(machine.handle(.spawnFailed(launch.name, reason: reason), at: now))
                } else {
                    nextPID += 1
                    perform(machine.handle(.childStarted(launch.name, pid: nextPID), at: now))
                }
            case .schedule(let timer, let at):
                timers.append((timer, at))
            default:
                break
            }
        }
    }

    /// Moves the clock on by `microseconds`, firing every timer that falls due on the way, in time order.
    @discardableResult
    mutating func advance(_ microseconds: Int64) -> [SupervisorAction] {
        let start = actions.count
        let end = now.microseconds + microseconds
        while let next = timers.enumerated().filter({ $0.element.at.microseconds <= end })
            .min(by: { $0.element.at < $1.element.at })
        {
            timers.remove(at: next.offset)
            now = max(now, next.element.at)
            perform(machine.handle(.timerFired(next.element.timer), at: now))
        }
        now = UTCTimestamp(microsecondsSince1970: end)
        return Array(actions[start...])
    }

    /// The pid of the running collector of `market`.
    func pid(_ market: String) -> Int32? {
        machine.marketStates.first { $0.market == market && $0.phase == .running }?.pid
    }

    /// The state file's entry of `market`.
    func state(_ market: String) -> SupervisorState.Market? {
        machine.marketStates.first { $0.market == market }
    }

    /// Reports that the collector `name` (a market's name for a group of one) exited.
    @discardableResult
    mutating func exit(_ name: String, _ exit: ChildExit, lastError: String? = nil) throws -> [SupervisorAction] {
        guard let pid = machine.collectors[name]?.pid else { throw DriverError.notRunning(name) }
        return send(.childExited(name, pid: pid, exit: exit, lastError: lastError))
    }

    func pairNamed(_ name: String) throws -> MarketPair {
        guard let pair = MarketPair(parsing: name) else { throw DriverError.notAPair(name) }
        return pair
    }

    enum DriverError: Error { case notRunning(String), notAPair(String) }
}

/// Looking into a list of actions.
extension [SupervisorAction] {
    /// The collectors spawned, by name (a market's name for a group of one).
    var spawned: [String] {
        compactMap { if case .spawn(let launch) = $0 { launch.name } else { nil } }
    }

    /// The collectors spawned, with the pairs each carries.
    var spawnedLaunches: [CollectorLaunch] {
        compactMap { if case .spawn(let launch) = $0 { launch } else { nil } }
    }

    /// The signals sent, as (pid, signal).
    var signals: [(pid: Int32, signal: Int32)] {
        compactMap { if case .signal(let pid, let signal) = $0 { (pid, signal) } else { nil } }
    }

    /// The log lines.
    var logLines: [SupervisorLogLine] {
        compactMap { if case .log(let line) = $0 { line } else { nil } }
    }

    /// The restart timers scheduled, as delays from `now`.
    func restartDelays(from now: UTCTimestamp) -> [Int64] {
        compactMap {
            if case .schedule(.restart, let at) = $0 { at.microseconds - now.microseconds } else { nil }
        }
    }

    /// The exit code asked for, if any.
    var exitCode: Int32? {
        compactMap { if case .exit(let code) = $0 { code } else { nil } }.first
    }

    /// The systemd messages.
    var notifications: [String] {
        compactMap { if case .notifySystemd(let text) = $0 { text } else { nil } }
    }
}

/// Configurations for the machine's tests.
enum SupervisorTestConfig {
    static func market(_ name: String, depth: Int = 25) throws -> MarketConfig {
        guard let pair = MarketPair(parsing: name) else { throw SupervisorMachineDriver.DriverError.notAPair(name) }
        return MarketConfig(
            pair: pair, depth: depth, levels: 10, mode: .update, recordsOrderBook: true, recordsTrades: true)
    }

    static func config(_ markets: [MarketConfig]) -> BytebitConfig {
        BytebitConfig(dataDirectory: "/srv/data", logDirectory: "/srv/logs", markets: markets)
    }

    static func config(_ names: String...) throws -> BytebitConfig {
        config(try names.map { try market($0) })
    }
}
