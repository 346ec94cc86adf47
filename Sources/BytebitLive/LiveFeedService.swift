import BytebitCore
import Foundation
import Logging

/// The `live-feed` process's parts put together: the token, the hub, the WebSocket/HTTP server on
/// `live.listen`, the collectors' Unix socket, and the status file. `run()` serves until `stop()`.
public final class LiveFeedService: @unchecked Sendable {
    public let hub: LiveHub
    public let server: LiveServer
    public let listener: LiveUplinkListener
    private let statusFile: String?
    private let listening: String
    private let logger: Logger
    private let stopped = DispatchSemaphore(value: 0)

    public init(
        live: LiveOutput, socketPath: String, statusFile: String?, limits: LiveClientLimits, logger: Logger
    ) throws(LiveFeedError) {
        let (token, created) = try LiveToken.loadOrCreate(path: live.tokenFile)
        if created {
            logger.notice("created a random token for the live feed (mode 0600)", metadata: ["live.token_file": "\(live.tokenFile)"])
        }
        let hub = LiveHub(limits: limits, logger: logger)
        let settings = LiveServer.Settings(
            host: live.host, port: live.port, certificateFile: live.tlsCert, privateKeyFile: live.tlsKey)
        self.server = try LiveServer(settings: settings, gate: LiveAccessGate(token: token), hub: hub, logger: logger)
        self.listener = try LiveUplinkListener(path: socketPath, hub: hub, logger: logger)
        self.hub = hub
        self.statusFile = statusFile
        var bound = live
        bound.port = server.boundPort  // port 0 picks a free one: say which
        self.listening = bound.baseURL
        self.logger = logger
    }

    /// Serves until `stop()`; rewrites the status file about every second meanwhile.
    public func run() {
        server.start()
        listener.start()
        logger.info("live feed serving", metadata: [
            "live.url": "\(listening)/v1/stream", "live.page": "\(listening.replacingOccurrences(of: "ws", with: "http"))/",
            "live.socket": "\(listener.path)",
        ])
        repeat {
            writeStatus()
        } while stopped.wait(timeout: .now() + .seconds(1)) == .timedOut
        listener.stop()
        server.stop()
        writeStatus()
        let counters = hub.snapshot
        logger.info("live feed stopped", metadata: [
            "live.sent": "\(counters.messagesSent)", "live.dropped": "\(counters.messagesDropped)",
            "live.disconnected_slow": "\(counters.disconnectedSlow)",
        ])
    }

    public func stop() { stopped.signal() }

    private func writeStatus() {
        guard let statusFile else { return }
        let status = LiveFeedStatus(listening: listening, counters: hub.snapshot, updatedAt: SystemClock().now())
        do {
            try status.write(to: statusFile)
        } catch {
            logger.warning("cannot write the status file", metadata: ["error": "\(error)"])
        }
    }
}
