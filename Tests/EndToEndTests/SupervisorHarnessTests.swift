import BytebitCore
import Foundation
import Testing

/// A test's folder with a config, a `bytebit run` started on it and ways to look at what it did.
/// (File named `…Tests.swift` to sit with the supervisor's tests; it holds only helpers.)
final class SupervisorHarness: @unchecked Sendable {
    let folder: URL
    let logs: URL
    let runDirectory: RunDirectory
    var supervisor: ChildProcess?

    init(_ name: String) throws {
        folder = try makeTemporaryDirectory(name).resolvingSymlinksInPath()
        logs = folder.appendingPathComponent("logs")
        runDirectory = RunDirectory(logDirectory: logs.path)
    }

    deinit {
        supervisor?.killIfRunning()
        for pid in childPIDsEverSeen where SupervisorHarness.isAlive(pid) { kill(pid, SIGKILL) }
    }

    var configPath: String { folder.appendingPathComponent("config.yaml").path }

    /// Writes `config.yaml` with these markets (YAML list items).
    func writeConfig(_ marketLines: [String], extra: String = "") throws {
        let text = extra + "markets:\n" + marketLines.map { "  - \($0)\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
    }

    /// Starts `bytebit run` with the short test timings and `collector` (or the stand-in).
    func start(collectorPath: String?, arguments: [String] = [], environment: [String: String] = [:]) throws {
        var all = [
            "run", "--config", configPath, "--restart-delay", "200ms", "--max-restart-delay", "5s",
            "--hang-timeout", "3s", "--tick", "200ms", "--grace-period", "5s",
        ]
        if let collectorPath { all += ["--collector-path", collectorPath] }
        let testEnvironment = environment.merging(["BYTEBIT_TEST_FOLDER": folder.path]) { given, _ in given }
        supervisor = try ChildProcess(
            "bytebit", arguments: all + arguments, logDirectory: folder, environment: testEnvironment,
            label: "supervisor")
    }

    /// The supervisor's state file, if it exists and parses, as `bytebit status` reads it (an
    /// unchanged state is refreshed by touching the file: its modification time is `updatedAt`).
    func state() -> SupervisorState? {
        (try? SupervisorState.read(from: runDirectory.stateFile))?.refreshed(path: runDirectory.stateFile)
    }

    /// The pid of the running collector of `market`.
    func pid(_ market: String) -> Int32? {
        guard let entry = state()?.markets.first(where: { $0.market == market }), entry.phase == .running else {
            return nil
        }
        if let pid = entry.pid { childPIDsEverSeen.insert(pid) }
        return entry.pid
    }

    /// Every market's status as its collector last wrote it (a group's one file, or the market's own),
    /// by market name, found the way `bytebit status` finds them.
    func collectorStatuses() -> [String: CollectorStatus] {
        guard let state = state() else { return [:] }
        var statuses: [String: CollectorStatus] = [:]
        for (path, _) in StatusReport.statusFiles(of: state, in: runDirectory) {
            for status in (try? CollectorStatusFile.read(from: path)) ?? [] { statuses[status.market] = status }
        }
        return statuses
    }

    /// Waits until every market in `markets` has a running collector that has written its status.
    @discardableResult
    func waitUntilRunning(_ markets: [String], seconds: Double = 30) throws -> [String: Int32] {
        var pids: [String: Int32] = [:]
        try waitUntil("\(markets) running", seconds: seconds) {
            pids = [:]
            let statuses = collectorStatuses()
            for market in markets {
                guard let pid = pid(market), let status = statuses[market], status.pid == pid else { return false }
                pids[market] = pid
            }
            return true
        }
        return pids
    }

    /// `logs/bytebit.log`.
    var log: String {
        (try? String(contentsOf: logs.appendingPathComponent("bytebit.log"), encoding: .utf8)) ?? ""
    }

    /// Log lines containing all of `fragments`.
    func logLines(containing fragments: String...) -> [String] {
        log.split(separator: "\n").map(String.init).filter { line in fragments.allSatisfy { line.contains($0) } }
    }

    /// Waits for the supervisor to exit and returns its status.
    func waitForSupervisorExit(seconds: Double = 30) throws -> Int32 {
        guard let supervisor else { return -1 }
        return try supervisor.waitForExit(seconds: seconds)
    }

    /// Every collector pid this harness has seen, to check none outlives the run.
    private(set) var childPIDsEverSeen = Set<Int32>()

    /// Whether `pid` is a live process (a zombie waiting to be reaped does not count).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.first.map { $0 != "Z" && $0 != "X" } ?? false
    }

    /// Runs `bytebit status` on this folder's config (with `pairs`: only theirs).
    func status(_ pairs: [String] = []) throws -> (code: Int32, output: String) {
        let process = try ChildProcess(
            "bytebit", arguments: ["status", "--config", configPath] + pairs, logDirectory: folder,
            label: "status-\(UUID())")
        let code = try process.waitForExit(seconds: 20)
        return (code, process.stdout)
    }

    /// A bash stand-in for `collector` (bash builtins only, no Python) that honours the supervisor
    /// contract (status file, SIGTERM, stdin EOF, exit codes) and appends one whole row every 50 ms to
    /// `data/<PAIR>.csv`; flag files in the folder make it crash (`crash-PAIR`), exit 78
    /// (`exit78-PAIR`), ignore SIGTERM (`stubborn-PAIR`) or report rows it could not write (`losing-PAIR`).
    func writeStandInCollector() throws -> String {
        let path = folder.appendingPathComponent("stand-in-collector").path
        try Data(Self.standInScript.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return path
    }

    /// Rows the stand-in wrote for `market`: (time, pid, counter or `stopped`).
    func standInRows(_ market: String) -> [(time: UTCTimestamp?, pid: String, value: String)] {
        let text = (try? String(contentsOf: folder.appendingPathComponent("data/\(market).csv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (UTCTimestamp(cells.first ?? ""), cells.count > 1 ? cells[1] : "", cells.count > 2 ? cells[2] : "")
        }
    }

    static let standInScript = #"""
        #!/bin/bash
        export TZ=UTC
        arguments=("$@")
        while [ $# -gt 1 ]; do
            case "$1" in
                --market) market="$2" ;;
                --status-file) status="$2" ;;
            esac
            shift 2
        done
        folder="$BYTEBIT_TEST_FOLDER"
        compgen -e | sort > "$folder/env-$market"
        printf '%s\n' "${arguments[@]}" > "$folder/args-$market"
        if [ -e "$folder/exit78-$market" ]; then echo "config error on purpose" >&2; exit 78; fi
        if [ -e "$folder/crash-$market" ]; then echo "crashing on purpose" >&2; exit 1; fi
        stamp() { local now=$EPOCHREALTIME; printf -v STAMP '%(%Y-%m-%dT%H:%M:%S)T.%sZ' "${now%.*}" "${now#*.}"; }
        stamp; started=$STAMP
        mkdir -p "$folder/data"
        rows="$folder/data/$market.csv"
        stop() { stamp; echo "$STAMP,$$,stopped" >> "$rows"; exit 0; }
        if [ -e "$folder/stubborn-$market" ]; then trap '' TERM; else trap stop TERM; fi
        echo "$started notice [$market] stand-in collector started" >&2
        count=0
        last=0
        while true; do
            read -r -t 0.05 line
            [ $? -eq 1 ] && exit 0
            count=$((count + 1))
            stamp
            echo "$STAMP,$$,$count" >> "$rows"
            now=${EPOCHREALTIME/./}
            if [ $((now - last)) -gt 200000 ]; then
                last=$now
                loss=''
                if [ -e "$folder/losing-$market" ]; then
                    loss=',"rows_lost":'$count',"losing_rows":true,"last_write_error":"No space left on device"'
                fi
                printf '{"market":"%s","pid":%d,"state":"live","started_at":"%s","updated_at":"%s","last_message_at":"%s","rows_today":{"orderbook":%d,"trades":0,"events":1},"checksum_failures":0,"reconnects":0%s}\n' \
                    "$market" $$ "$started" "$STAMP" "$STAMP" $count "$loss" > "$status.tmp"
                mv -f "$status.tmp" "$status"
            fi
        done

        """#
}

/// Receives sd_notify datagrams on a socket the test passes in `NOTIFY_SOCKET`.
final class NotifyListener: @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private var isClosed = false

    /// Listens on `path`; a leading `@` names Linux's abstract namespace, as in `NOTIFY_SOCKET`.
    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let isAbstract = bytes.first == UInt8(ascii: "@")
        if isAbstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = isAbstract
            ? socklen_t((MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2) + bytes.count)
            : socklen_t(MemoryLayout<sockaddr_un>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        try #require(descriptor >= 0 && bound == 0, "cannot bind \(path)")
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        Thread.detachNewThread { [self] in receiveLoop() }
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !lock.withLock({ isClosed }) {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                let message = String(decoding: buffer[0..<count], as: UTF8.self)
                lock.withLock { received.append(message) }
            }
        }
        close(descriptor)
    }

    /// Every datagram so far.
    var messages: [String] { lock.withLock { received } }

    func stop() {
        lock.withLock { isClosed = true }
    }
}
