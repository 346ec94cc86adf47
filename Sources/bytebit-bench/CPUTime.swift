import Foundation

/// CPU time and memory of this process, for benchmark figures: on a shared machine the wall clock
/// also counts other processes' turns, CPU time shows the code's own cost.
enum CPUTime {
    /// Seconds of CPU used by the calling thread so far.
    static func thread() -> Double {
        seconds(of: CLOCK_THREAD_CPUTIME_ID)
    }

    /// Seconds of CPU (user + system, all threads) used by this process so far.
    static func process() -> Double {
        seconds(of: CLOCK_PROCESS_CPUTIME_ID)
    }

    /// The process's peak resident set size in MB (VmHWM).
    static func peakResidentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return -1 }
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes / 1024
    }

    private static func seconds(of clock: clockid_t) -> Double {
        var now = timespec()
        guard clock_gettime(clock, &now) == 0 else { return 0 }
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
    }
}
