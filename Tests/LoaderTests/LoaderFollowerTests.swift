import BytebitCore
import BytebitLoader
import BytebitLoaderStatus
import Foundation
import PostgresTestSupport
import Testing

/// The follow mode (the child under `bytebit run`) against a real server that goes away.
@Suite(.serialized) struct LoaderFollowerTests {
    let date = "2026-11-21"

    /// Runs `follower` on a thread; `finish` stops it and returns its exit code.
    final class Running: @unchecked Sendable {
        let follower: LoaderFollower
        private let done = DispatchSemaphore(value: 0)
        private var code: Int32 = -1

        init(_ follower: LoaderFollower) {
            self.follower = follower
            Thread { [self] in
                code = follower.run()
                done.signal()
            }.start()
        }

        func finish() -> Int32 {
            follower.requestStop()
            _ = done.wait(timeout: .now() + 30)
            return code
        }
    }

    func waitFor(_ what: String, seconds: Double = 30, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        if try condition() { return }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }

    func follower(url: String, files: RecordedFiles, statusFile: String? = nil, log: LogRecorder) throws -> LoaderFollower {
        let serviceURL = try #require(ServiceURL(url))
        let follower = LoaderFollower(
            url: serviceURL, settings: LoaderSettings(dataDirectory: files.dataDirectory.path), statusFile: statusFile,
            logger: log.logger())
        follower.pollInterval = 0.02
        follower.backoff = RetryBackoff(first: 0.05, limit: 0.2)
        return follower
    }

    @Test func aStoppedServerIsWaitedForAndEveryRowArrivesOnce() throws {
        let server = try PostgresTestServer()
        let files = try RecordedFiles.make()
        let log = LogRecorder()
        let statusFile = files.dataDirectory.appendingPathComponent("run/services/loader.json").path
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 20), pair: "BTC-USD", stream: .trades, date: date)
        let running = Running(try follower(url: server.url(), files: files, statusFile: statusFile, log: log))
        let count = { () throws -> Int in
            Int((try? server.execute("SELECT count(*) FROM kraken_trades").first?.first ?? nil) ?? "") ?? -1
        }
        try waitFor("the first rows") { try count() == 20 }
        try server.stop()
        try files.append(RecordedFiles.trades(date: date, firstID: 21, count: 30, start: 100), pair: "BTC-USD", stream: .trades, date: date)
        try waitFor("a few failed retries") { running.follower.failedAttempts >= 4 }
        let waiting = try LoaderStatus.read(from: statusFile)
        #expect(waiting.state == "waiting")
        #expect(waiting.lastError != nil)
        #expect(waiting.streams["trades"]?.rowsBehind == 30)
        #expect(waiting.database == "postgresql://postgres:***@127.0.0.1:\(server.port)/market")
        let statusText = try String(contentsOfFile: statusFile, encoding: .utf8)
        #expect(!statusText.contains(PostgresTestServer.password))
        try server.start()
        try waitFor("the rows written during the outage") { try count() == 50 }
        #expect(running.finish() == 0)
        let ids = try server.execute("SELECT trade_id FROM kraken_trades ORDER BY trade_id").compactMap { $0.first ?? nil }
        #expect(ids == (1...50).map(String.init))
        // Fewer trouble lines than retries: the same trouble is logged once.
        let troubleLines = log.messages.filter { $0.text.hasPrefix("cannot load into PostgreSQL") }
        #expect(troubleLines.count >= 1)
        #expect(troubleLines.count < running.follower.failedAttempts)
        #expect(!log.messages.contains { $0.text.contains(PostgresTestServer.password) })
        let stopped = try LoaderStatus.read(from: statusFile)
        #expect(stopped.state == "stopped")
        #expect(stopped.streams["trades"]?.rowsLoaded == 50)
    }

    @Test(arguments: ["wrong password", "unreachable host", "missing database"])
    func aConnectionProblemIsOneClearLineAndRetries(_ problem: String) throws {
        let server = try PostgresTestServer()
        let files = try RecordedFiles.make()
        let log = LogRecorder()
        let (url, reason): (String, String) = switch problem {
        case "wrong password": (server.url(password: "not-the-password"), "password authentication failed")
        case "unreachable host": ("postgresql://postgres:\(PostgresTestServer.password)@127.0.0.1:\(try PostgresTestServer.freePortForTests())/market",
                                  "Connection refused")
        default: (server.url(database: "nowhere"), "database \"nowhere\" does not exist")
        }
        let running = Running(try follower(url: url, files: files, log: log))
        try waitFor("retries") { running.follower.failedAttempts >= 5 }
        #expect(running.finish() == 0)
        let troubleLines = log.messages.filter { $0.text.hasPrefix("cannot load into PostgreSQL") }
        #expect(troubleLines.count == 1, "\(troubleLines.map(\.text))")
        #expect(troubleLines.first?.text.contains(reason) == true, "\(troubleLines.map(\.text))")
        #expect(troubleLines.first?.text.contains("retrying in") == true)
        #expect(!log.messages.contains { $0.text.contains(PostgresTestServer.password) || $0.text.contains("not-the-password") })
    }
}
