import BytebitCore
import Foundation

/// The recorded files under a data directory, laid out as SPEC §4 says:
/// `DIR/PAIR/{orderbook,trades,events}/PREFIXYYYY-MM-DD.csv[.gz]`.
public struct DataDirectory: Sendable {
    /// The data directory's path as the user gave it.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// One day's file of one kind: where it is and whether it is gzip-compressed.
    public struct DayFile: Sendable, Equatable {
        /// The pair folder, `BTC-USD`.
        public let pair: String
        /// Order book, trades or events.
        public let kind: RecordKind
        /// The UTC day, `YYYY-MM-DD`.
        public let date: String
        /// The file's path under the data directory.
        public let path: String
        /// Whether this is a `.csv.gz` file.
        public var isCompressed: Bool { path.hasSuffix(".gz") }
    }

    /// Every pair with a folder here, sorted.
    public func pairs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: "\(path)/\(name)", isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    /// Every day with a file of `kind` for `pair`, sorted; a day with both `.csv` and `.csv.gz` prefers
    /// the plain file (the compressor writes the gzip first and removes the plain one last).
    public func files(pair: String, kind: RecordKind) -> [DayFile] {
        let folder = "\(path)/\(pair)/\(kind.folder)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var byDate: [String: DayFile] = [:]
        for name in names where name.hasPrefix(kind.filePrefix) {
            let rest = name.dropFirst(kind.filePrefix.count)
            let date: Substring
            if rest.hasSuffix(".csv.gz") {
                date = rest.dropLast(7)
            } else if rest.hasSuffix(".csv") {
                date = rest.dropLast(4)
            } else {
                continue
            }
            guard CalendarDate(String(date)) != nil else { continue }
            let file = DayFile(pair: pair, kind: kind, date: String(date), path: "\(folder)/\(name)")
            if let existing = byDate[file.date], !existing.isCompressed { continue }
            byDate[file.date] = file
        }
        return byDate.values.sorted { $0.date < $1.date }
    }

    /// The file of `kind` for `pair` on `date`, or an error naming the pairs or days that do exist.
    public func file(pair: String, kind: RecordKind, date: String) throws(ViewError) -> DayFile {
        let known = pairs()
        guard known.contains(pair) else {
            throw .unknownPair(pair: pair, dataDirectory: path, availablePairs: known)
        }
        let days = files(pair: pair, kind: kind)
        guard let file = days.first(where: { $0.date == date }) else {
            throw .noFileForDay(pair: pair, kind: kind, date: date, availableDates: days.map(\.date))
        }
        return file
    }

    /// The file's size in bytes, or nil if it cannot be read.
    public static func size(of path: String) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber
        else { return nil }
        return size.int64Value
    }
}
