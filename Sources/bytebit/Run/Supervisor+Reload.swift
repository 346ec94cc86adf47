import BytebitCore
import Foundation
import Logging

extension Supervisor {
    /// SIGHUP: apply the edited config. New markets start, removed ones stop cleanly, changed ones
    /// restart; untouched ones keep running. An invalid file is logged and the running config stays.
    func reload() {
        guard !isShuttingDown else { return }
        logger.notice("reloading the configuration", metadata: ["config": "\(configPath)"])
        let new: BytebitConfig
        do {
            new = try ConfigLoader.load(path: configPath)
        } catch {
            logger.error(
                "reload rejected: the new configuration is invalid; the running one stays in force",
                metadata: ["error": "\(error.description)"])
            return
        }
        if new.logDirectory != config.logDirectory {
            logger.warning(
                "log_dir changed: the log and run folders move at the next start of bytebit run",
                metadata: ["log_dir": "\(new.logDirectory)"])
        }
        let plan = ReloadPlan(from: config, to: new)
        logger.notice("configuration reloaded", metadata: ["diff": "\(plan)"])
        config = new
        writeConfigSnapshot()
        for pair in plan.removed {
            guard var slot = slots[pair] else { continue }
            if slot.process != nil {
                stopCollector(pair, because: .removed)
            } else {
                slot.startGeneration += 1
                slots[pair] = nil
            }
        }
        for market in plan.changed {
            guard var slot = slots[market.pair] else { continue }
            if slot.process != nil {
                stopCollector(market.pair, because: .restart(market))
            } else {
                // Waiting or held: the new settings may be the fix, so start at once with a fresh backoff.
                slot.market = market
                slot.backoff.reset()
                slots[market.pair] = slot
                startCollector(market.pair)
            }
        }
        for market in plan.added {
            if slots[market.pair]?.process != nil {
                // Removed and added back before it finished stopping: start it again when it exits.
                stopCollector(market.pair, because: .restart(market))
            } else {
                slots[market.pair] = MarketSlot(
                    market: market, backoff: RestartBackoff(policy: settings.restartPolicy))
                startCollector(market.pair)
            }
        }
        let configured = new.markets.map(\.pair)
        order = configured + order.filter { !configured.contains($0) && slots[$0] != nil }
        writeState()
    }
}
