import Foundation

/// The sd_notify protocol without libsystemd: one `AF_UNIX` datagram per message to `$NOTIFY_SOCKET`
/// (`READY=1`, `STATUS=…`, `WATCHDOG=1`, `STOPPING=1`). Does nothing outside systemd.
final class SystemdNotifier: @unchecked Sendable {
    private let socketDescriptor: Int32
    private var address = sockaddr_un()
    private let addressLength: socklen_t
    /// Half of `WATCHDOG_USEC` (systemd's advice), when systemd asks this process for keep-alives.
    let watchdogInterval: Int64?

    /// A notifier for `$NOTIFY_SOCKET` in `environment`; nil when it is unset or unusable.
    init?(environment: [String: String]) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        var bytes = Array(path.utf8)
        // A leading `@` names Linux's abstract namespace: a NUL byte, and no trailing NUL.
        let isAbstract = bytes.first == UInt8(ascii: "@")
        if isAbstract { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return nil }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        addressLength = socklen_t(pathOffset + bytes.count + (isAbstract ? 0 : 1))
        socketDescriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketDescriptor >= 0 else { return nil }
        let watchdogPID = environment["WATCHDOG_PID"].flatMap { Int32($0) }
        if let micros = environment["WATCHDOG_USEC"].flatMap({ Int64($0) }), micros > 0,
            watchdogPID == nil || watchdogPID == getpid()
        {
            watchdogInterval = max(micros / 2, 1_000)
        } else {
            watchdogInterval = nil
        }
    }

    deinit {
        close(socketDescriptor)
    }

    /// Sends newline-separated `KEY=value` assignments; failures are ignored (systemd may be gone).
    func send(_ assignments: String) {
        let bytes = Array(assignments.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { buffer in
                    sendto(socketDescriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), socketAddress,
                           addressLength)
                }
            }
        }
    }
}
