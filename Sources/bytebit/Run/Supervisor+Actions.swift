import BytebitCore
import Foundation
import Logging

/// Performing the machine's actions: processes, signals, timers, log lines, systemd.
extension Supervisor {
    /// Feeds `event` to the machine now and performs what it returns (a spawn's outcome is fed back
    /// at once, before anything else), then rewrites the state file.
    func handle(_ event: SupervisorEvent) {
        perform(machine.handle(event, at: clock.now()))
        writeState()
    }

    private func perform(_ actions: [SupervisorAction]) {
        for action in actions {
            switch action {
            case .spawn(let market):
                perform(machine.handle(spawn(market), at: clock.now()))
            case .signal(let pid, let signal):
                guard let process = processes.values.first(where: { $0.pid == pid }) else { continue }
                if signal == SIGKILL { process.killNow() } else { kill(pid, signal) }
            case .schedule(let timer, let at):
                let delay = max(0, at.microseconds - clock.now().microseconds)
                queue.asyncAfter(deadline: .now() + .microseconds(Int(delay))) { [weak self] in
                    self?.handle(.timerFired(timer))
                }
            case .log(let line):
                logger.log(level: line.level, "\(line.message)", metadata: line.metadata.mapValues { .string($0) })
            case .notifySystemd(let assignments):
                notifier?.send(assignments)
            case .removeStatusFile(let pair):
                unlink(runDirectory.statusFile(for: pair))
            case .exit(let code):
                finish(code: code)
            }
        }
    }

    /// Starts the collector of `launch`; returns the outcome for the machine.
    private func spawn(_ launch: CollectorLaunch) -> SupervisorEvent {
        let name = launch.name
        do {
            let process = try CollectorProcess(
                name: name, executable: settings.executable(for: launch.role), arguments: arguments(for: launch),
                environment: childEnvironment,
                startedAt: clock.now(), logger: Logger(label: name)
            ) { [weak self] pid, exit, lastProblem in
                guard let self else { return }
                self.queue.async {
                    if self.processes[name]?.pid == pid { self.processes[name] = nil }
                    self.handle(.childExited(name, pid: pid, exit: exit, lastError: lastProblem))
                }
            }
            processes[name] = process
            return .childStarted(name, pid: process.pid)
        } catch {
            return .spawnFailed(name, reason: "\(error)")
        }
    }

    /// The command line of `launch`'s child. A market alone writes `<run>/markets/<PAIR>.json`; a
    /// group one file for all its markets, `<run>/collectors/<GROUP>.json`; a service
    /// `<run>/services/<name>.json`.
    private func arguments(for launch: CollectorLaunch) -> [String] {
        var arguments = ["--config", collectorConfigPath]
        switch launch.role {
        case .loader, .liveFeed:
            arguments += ["--status-file", runDirectory.serviceStatusFile(launch.name)]
            if launch.role == .liveFeed { arguments += ["--live-socket", runDirectory.liveSocket] }
            return arguments
        case .instrumentWatcher:
            arguments += ["--watch-instruments", runDirectory.instrumentsFile]
        case .markets:
            for pair in launch.pairs { arguments += ["--market", pair.name] }
            arguments += ["--status-file", runDirectory.statusFile(collector: launch.name, pairs: launch.pairs.map(\.name))]
            if machine.config.live != nil { arguments += ["--live-socket", runDirectory.liveSocket] }
        }
        arguments += ["--connect-ledger", runDirectory.connectionLedger]
        return arguments
    }
}
