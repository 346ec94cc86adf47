import BytebitCore
import Foundation
import Logging

extension Supervisor {
    /// Starts the collector of `pair` now.
    func startCollector(_ pair: MarketPair) {
        guard var slot = slots[pair], slot.process == nil, !isShuttingDown else { return }
        let now = clock.now()
        slot.nextStartAt = nil
        slot.isHeld = false
        slot.startGeneration += 1
        let arguments = [
            "--config", collectorConfigPath, "--market", pair.name, "--status-file", runDirectory.statusFile(for: pair),
            "--connect-ledger", runDirectory.connectionLedger,
        ]
        do {
            let process = try CollectorProcess(
                pair: pair, executable: settings.collectorPath, arguments: arguments, environment: childEnvironment,
                startedAt: now, logger: Logger(label: pair.name)
            ) { [weak self] pid, exit in
                guard let self else { return }
                self.queue.async { self.collectorExited(pair, pid: pid, exit: exit) }
            }
            slot.process = process
            slots[pair] = slot
            logger.notice(
                "collector started",
                metadata: ["market": "\(pair)", "pid": "\(process.pid)", "restarts": "\(slot.restarts)"])
        } catch {
            logger.error("cannot start the collector", metadata: ["market": "\(pair)", "error": "\(error)"])
            slots[pair] = slot
            scheduleRestart(pair, after: .exited(ExitStatus.failure.rawValue), ranFor: 0, now: now)
        }
        writeState()
    }

    /// A collector process ended: decide from why it was stopping, or from the restart policy.
    func collectorExited(_ pair: MarketPair, pid: Int32, exit: ChildExit) {
        guard var slot = slots[pair], let process = slot.process, process.pid == pid else { return }
        let now = clock.now()
        let ranFor = now.microseconds - process.startedAt.microseconds
        let reason = slot.stopReason
        slot.process = nil
        slot.stopReason = nil
        slot.killAt = nil
        slot.lastExit = exit.description
        slots[pair] = slot
        let metadata: Logger.Metadata = [
            "market": "\(pair)", "pid": "\(pid)", "exit": "\(exit)",
            "ran": "\(StatusReport.duration(ranFor))",
        ]
        switch reason {
        case .shutdown:
            logger.notice("collector stopped", metadata: metadata)
            if slots.values.allSatisfy({ $0.process == nil }) { finish(code: ExitStatus.clean.rawValue) }
            return
        case .removed:
            logger.notice("collector stopped: market removed from the configuration", metadata: metadata)
            unlink(runDirectory.statusFile(for: pair))
            slots[pair] = nil
            order.removeAll { $0 == pair }
        case .restart(let market):
            logger.notice("collector stopped: starting it with the new settings", metadata: metadata)
            slot.market = market
            slot.backoff.reset()
            slots[pair] = slot
            startCollector(pair)
        case .hung, nil:
            scheduleRestart(pair, after: exit, ranFor: ranFor, now: now)
        }
        writeState()
    }

    /// Applies the restart policy to an exit nobody asked for.
    func scheduleRestart(_ pair: MarketPair, after exit: ChildExit, ranFor: Int64, now: UTCTimestamp) {
        guard var slot = slots[pair] else { return }
        let decision = slot.backoff.childExited(exit, ranForMicroseconds: ranFor, jitter: Double.random(in: -1...1))
        var metadata: Logger.Metadata = [
            "market": "\(pair)", "exit": "\(exit)", "ran": "\(StatusReport.duration(ranFor))",
        ]
        switch decision {
        case .holdUntilConfigChanges:
            slot.isHeld = true
            slots[pair] = slot
            logger.error(
                "collector exited with a usage or configuration error: not restarted until its configuration changes",
                metadata: metadata)
        case .restart(let delay):
            slot.restarts += 1
            slot.nextStartAt = UTCTimestamp(microsecondsSince1970: now.microseconds + delay)
            slot.startGeneration += 1
            let generation = slot.startGeneration
            slots[pair] = slot
            metadata["restart.delay_ms"] = "\(delay / 1_000)"
            metadata["restart.attempt"] = "\(slot.backoff.consecutiveFailures)"
            logger.warning("collector exited: restarting after a delay", metadata: metadata)
            queue.asyncAfter(deadline: .now() + .microseconds(Int(delay))) { [weak self] in
                guard let self, let slot = self.slots[pair], slot.startGeneration == generation else { return }
                self.startCollector(pair)
            }
        }
    }

    /// Asks the collector of `pair` to stop (SIGTERM), and to be killed if it outlives the grace period.
    func stopCollector(_ pair: MarketPair, because reason: MarketSlot.StopReason) {
        guard var slot = slots[pair], let process = slot.process else { return }
        slot.stopReason = reason
        slot.killAt = UTCTimestamp(microsecondsSince1970: clock.now().microseconds + settings.gracePeriodMicroseconds)
        slots[pair] = slot
        process.terminate()
    }

    /// The periodic check: hung collectors, stragglers past their grace period, state and STATUS.
    func tick() {
        let now = clock.now()
        for pair in order {
            guard var slot = slots[pair], let process = slot.process else { continue }
            if let killAt = slot.killAt, killAt <= now {
                logger.warning(
                    "collector did not stop within the grace period: killing it",
                    metadata: ["market": "\(pair)", "pid": "\(process.pid)"])
                slot.killAt = nil
                slots[pair] = slot
                process.killNow()
            } else if slot.stopReason == nil,
                settings.heartbeat.isHung(
                    startedAt: process.startedAt, lastUpdate: statusModificationTime(pair), now: now)
            {
                logger.warning(
                    "collector hung: no status update within the heartbeat timeout; killing it",
                    metadata: [
                        "market": "\(pair)", "pid": "\(process.pid)",
                        "heartbeat.timeout":
                            "\(DurationText.text(microseconds: settings.heartbeat.timeoutMicroseconds))",
                    ])
                slot.stopReason = .hung
                slots[pair] = slot
                process.killNow()
            }
        }
        writeState()
    }

    /// When the collector of `pair` last rewrote its status file (each rewrite is a new file, so its
    /// modification time is the heartbeat; a `stat` is cheaper than parsing fifty files a second).
    func statusModificationTime(_ pair: MarketPair) -> UTCTimestamp? {
        var info = stat()
        guard stat(runDirectory.statusFile(for: pair), &info) == 0 else { return nil }
        return UTCTimestamp(
            microsecondsSince1970: Int64(info.st_mtim.tv_sec) * 1_000_000 + Int64(info.st_mtim.tv_nsec) / 1_000)
    }

    /// SIGTERM/SIGINT/--duration: every collector gets SIGTERM; the run ends once all have exited.
    func beginShutdown() {
        guard !isShuttingDown else { return }
        isShuttingDown = true
        notifier?.send("STOPPING=1")
        for pair in order {
            guard var slot = slots[pair] else { continue }
            slot.startGeneration += 1
            slots[pair] = slot
            if slot.process != nil {
                stopCollector(pair, because: .shutdown)
            } else {
                slots[pair] = nil
            }
        }
        order.removeAll { slots[$0] == nil }
        writeState()
        if slots.values.allSatisfy({ $0.process == nil }) { finish(code: ExitStatus.clean.rawValue) }
    }

    /// A second SIGTERM/SIGINT: no more waiting.
    func killEverythingNow(signal: Int32) {
        logger.warning("second signal: killing every collector now", metadata: ["signal": "\(signal)"])
        for slot in slots.values { slot.process?.killNow() }
        finish(code: ExitStatus.failure.rawValue)
    }
}
