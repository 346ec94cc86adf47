import Foundation

/// What /proc says a set of processes used so far: CPU split into user and system time, page faults
/// and context switches (every thread). Two samples give a window's cost (`TreeFloorSample.-`).
struct TreeFloorSample {
    var userTicks = 0
    var systemTicks = 0
    var minorFaults = 0
    var majorFaults = 0
    var contextSwitches = 0

    /// The sum over `pids` (a process that is gone counts nothing).
    static func of(_ pids: [Int32]) -> TreeFloorSample {
        pids.reduce(into: TreeFloorSample()) { sum, pid in sum.add(of(pid)) }
    }

    /// One process: `/proc/PID/stat` (minflt, majflt, utime, stime: fields 10, 12, 14, 15) and the
    /// `ctxt_switches` lines of every `/proc/PID/task/*/status`.
    static func of(_ pid: Int32) -> TreeFloorSample {
        var sample = TreeFloorSample()
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            // Fields after "(comm)": the first of them is field 3 (state).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            func field(_ number: Int) -> Int { fields.count > number - 3 ? Int(fields[number - 3]) ?? 0 : 0 }
            sample.minorFaults = field(10)
            sample.majorFaults = field(12)
            sample.userTicks = field(14)
            sample.systemTicks = field(15)
        }
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) else { continue }
            for line in status.split(separator: "\n") where line.contains("ctxt_switches:") {
                sample.contextSwitches += line.split(separator: "\t").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
            }
        }
        return sample
    }

    /// The threads of `pid` other than its main thread (a collector's writer thread and helpers):
    /// CPU and context switches from `/proc/PID/task/TID/stat` and `status` (faults stay the process's).
    static func otherThreads(of pid: Int32) -> TreeFloorSample {
        var sample = TreeFloorSample()
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks where task != String(pid) {
            let folder = "/proc/\(pid)/task/\(task)"
            if let stat = try? String(contentsOfFile: "\(folder)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 12 {
                    sample.userTicks += Int(fields[11]) ?? 0
                    sample.systemTicks += Int(fields[12]) ?? 0
                }
            }
            let status = (try? String(contentsOfFile: "\(folder)/status", encoding: .utf8)) ?? ""
            for line in status.split(separator: "\n") where line.contains("ctxt_switches:") {
                sample.contextSwitches += line.split(separator: "\t").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
            }
        }
        return sample
    }

    /// Every process below `pid` (itself included), from `/proc/PID/task/*/children`.
    static func tree(of pid: Int32) -> [Int32] {
        var pids: [Int32] = [pid]
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            for child in text.split(separator: " ").compactMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                pids += tree(of: child)
            }
        }
        return pids
    }

    mutating func add(_ other: TreeFloorSample) {
        userTicks += other.userTicks
        systemTicks += other.systemTicks
        minorFaults += other.minorFaults
        majorFaults += other.majorFaults
        contextSwitches += other.contextSwitches
    }

    static func - (after: TreeFloorSample, before: TreeFloorSample) -> TreeFloorSample {
        TreeFloorSample(
            userTicks: after.userTicks - before.userTicks, systemTicks: after.systemTicks - before.systemTicks,
            minorFaults: after.minorFaults - before.minorFaults, majorFaults: after.majorFaults - before.majorFaults,
            contextSwitches: after.contextSwitches - before.contextSwitches)
    }

    /// One table line for a window of `seconds` in which `messages` data messages arrived.
    func line(_ label: String, processes: Int, messages: Int, seconds: Int) -> String {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let cpu = Double(userTicks + systemTicks) / ticksPerSecond
        let perMessage = Double(max(messages, 1))
        return "| \(label) | \(processes) " + String(
            format: "| %.0f | %.2f%% | %.1f µs (user %.1f, sys %.1f) | %.2f | %.2f |",
            Double(messages) / Double(seconds), 100 * cpu / Double(seconds),
            1e6 * cpu / perMessage, 1e6 * Double(userTicks) / ticksPerSecond / perMessage,
            1e6 * Double(systemTicks) / ticksPerSecond / perMessage, Double(contextSwitches) / perMessage,
            Double(minorFaults + majorFaults) / perMessage)
    }

    static let header = """
        | layout | processes | data msgs/s | CPU, % of one core | CPU per message | context switches / msg | page faults / msg |
        |---|---|---|---|---|---|---|
        """
}
