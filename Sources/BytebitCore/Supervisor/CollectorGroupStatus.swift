import Foundation

/// What a collector carrying a group of markets reports, rewritten to `<run_dir>/collectors/<GROUP>.json`:
/// one `CollectorStatus` per carried market, in the group's order (one file per collector rather than
/// per market, issue 10). Its modification time is the collector's heartbeat.
public struct CollectorGroupStatus: Sendable, Equatable, Codable {
    /// The collector's process id.
    public var pid: Int32
    /// When this status was written.
    public var updatedAt: UTCTimestamp
    /// Each carried market's status.
    public var markets: [CollectorStatus]

    /// A group status as given.
    public init(pid: Int32, updatedAt: UTCTimestamp, markets: [CollectorStatus]) {
        self.pid = pid
        self.updatedAt = updatedAt
        self.markets = markets
    }

    enum CodingKeys: String, CodingKey {
        case pid, markets
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pid = try container.decode(Int32.self, forKey: .pid)
        updatedAt = try container.decodeTimestamp(forKey: .updatedAt)
        markets = try container.decode([CollectorStatus].self, forKey: .markets)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pid, forKey: .pid)
        try container.encodeTimestamp(updatedAt, forKey: .updatedAt)
        try container.encode(markets, forKey: .markets)
    }
}

/// A collector's status file as read back: a market alone writes one `CollectorStatus`, a group a
/// `CollectorGroupStatus`; a reader takes either and gets the markets' statuses.
public struct CollectorStatusFile: Sendable, Equatable, Decodable {
    /// The statuses the file holds (one for a market alone).
    public var statuses: [CollectorStatus]

    enum CodingKeys: String, CodingKey {
        case markets
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.markets) {
            statuses = try CollectorGroupStatus(from: decoder).markets
        } else {
            statuses = [try CollectorStatus(from: decoder)]
        }
    }

    /// Reads the statuses a collector (one market or a group) last wrote to `path`.
    /// Read by hand (`statuses(readingByHand:)`); what that does not take, `JSONDecoder` reads or explains.
    public static func read(from path: String) throws(SupervisorError) -> [CollectorStatus] {
        let data = try AtomicFile.read(path)
        if let statuses = statuses(readingByHand: Array(data)) { return statuses }
        do {
            return try JSONDecoder().decode(CollectorStatusFile.self, from: data).statuses
        } catch {
            throw .cannotRead(path: path, reason: "not a collector status: \(error)")
        }
    }
}
