import BytebitCore
import Foundation

extension StatusCommand {
    /// The live feed's line of `bytebit status`, from its status file (`<run>/services/live.json`):
    /// where it listens, clients, messages sent, dropped, clients cut off for being slow. Nil without one.
    static func liveFeedLine(runDirectory: RunDirectory, now: UTCTimestamp) -> String? {
        guard let data = FileManager.default.contents(atPath: runDirectory.serviceStatusFile("live")),
            let status = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        func count(_ key: String) -> String { (status[key] as? NSNumber).map { "\($0.intValue)" } ?? "?" }
        let age = (status["updated_at"] as? String).flatMap { UTCTimestamp($0) }
            .map { " (updated \(TimeSpan(microseconds: max(0, now.microseconds - $0.microseconds)).compactText) ago)" } ?? ""
        return "live feed \(status["listening"] as? String ?? "?")/v1/stream: \(count("clients")) clients, "
            + "\(count("collectors")) collectors, \(count("messages_sent")) sent, \(count("dropped")) dropped, "
            + "\(count("disconnected_slow")) disconnected slow, \(count("refused_unauthorized")) refused\(age)"
    }
}
