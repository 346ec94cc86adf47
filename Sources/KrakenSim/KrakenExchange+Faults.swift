import BytebitCore
import Logging

/// Counting data frames and firing the faults due after them.
extension KrakenExchange {
    /// Sends a book or trade frame: counts it, truncates it if that fault is due, then fires the
    /// faults due after it.
    func sendData(_ text: String, to connection: SimConnection, isBook: Bool, now: UTCTimestamp) {
        guard !connection.isGone, !connection.isSilent(at: now) else { return }
        connection.dataFramesSent += 1
        if isBook { connection.bookFramesSent += 1 }
        var frame = text
        if connection.faults.contains(.truncatedFrame(message: connection.dataFramesSent)) {
            frame = String(decoding: text.utf8.prefix(text.utf8.count / 2), as: UTF8.self)
            logger.info("injecting a truncated frame", metadata: faultMetadata(connection))
        }
        send(frame, to: connection, now: now)
        triggerFaults(on: connection, afterDataFrames: connection.dataFramesSent, now: now)
    }

    /// Fires the faults whose trigger is "after `count` data frames" (0: right after connecting).
    func triggerFaults(on connection: SimConnection, afterDataFrames count: Int, now: UTCTimestamp) {
        for fault in connection.faults {
            switch fault {
            case .dropAfter(let messages) where messages == count:
                logger.info("injecting a connection reset", metadata: faultMetadata(connection))
                connection.isGone = true
                connections.removeAll { $0.id == connection.id }
                output.drop(connection.id)
                return
            case .silence(let messages, let seconds) where messages == count:
                logger.info("injecting silence", metadata: faultMetadata(connection))
                connection.silentUntil = now.adding(seconds: seconds)
            case .maintenance(let messages, let seconds) where messages == count:
                logger.info("injecting maintenance", metadata: faultMetadata(connection))
                send(KrakenFrames.status(system: "maintenance", connectionID: nil), to: connection, now: now)
                connection.maintenanceUntil = now.adding(seconds: seconds)
            default:
                continue
            }
        }
    }

    /// Ends silences and maintenance windows that are over; owed snapshots follow at once.
    func endExpiredFaults(now: UTCTimestamp) {
        for connection in connections {
            var resumed = false
            if let until = connection.silentUntil, now >= until {
                connection.silentUntil = nil
                resumed = true
            }
            if let until = connection.maintenanceUntil, now >= until {
                connection.maintenanceUntil = nil
                send(
                    KrakenFrames.status(system: "online", connectionID: connection.connectionID), to: connection,
                    now: now)
                resumed = true
            }
            guard resumed, !connection.isDataPaused(at: now) else { continue }
            for symbol in connection.followedSymbols {
                guard let market = marketIndex[symbol] else { continue }
                sendOwedSnapshots(market: market, to: connection, now: now, timestamp: nil)
            }
        }
    }

    private func faultMetadata(_ connection: SimConnection) -> Logger.Metadata {
        [
            "sim.connection": "\(connection.id.rawValue)", "sim.connection.number": "\(connection.number)",
            "sim.data_frames": "\(connection.dataFramesSent)",
        ]
    }
}

extension UTCTimestamp {
    /// This instant plus a number of seconds (fractions kept to the microsecond).
    func adding(seconds: Double) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: microseconds + Int64((seconds * 1_000_000).rounded()))
    }
}
