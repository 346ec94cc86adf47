import BytebitCore
import Foundation

/// The recorded files under a data directory, laid out as SPEC §4 says and as `RecordedStream` and
/// `DailyFileName` describe: `DIR/PAIR/STREAM/[levels-N/]STEMYYYY-MM-DD[.n].csv[.gz]`.
public struct DataDirectory: Sendable {
    /// The data directory's path as the user gave it.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// One file of a stream's day.
    public struct DayFile: Sendable, Equatable {
        /// The file's path under the data directory.
        public let path: String
        /// Whether this is a `.csv.gz` file.
        public let isCompressed: Bool
    }

    /// Every file of one stream's day: the main file, its gzip form holding the rows written before it
    /// was compressed (a `.csv` beside a `.csv.gz` holds late rows), layout files (`levels-N/`) and old
    /// numbered variants (`.1.csv`). Read in this order, each with its own header.
    public struct DayFiles: Sendable, Equatable {
        /// The pair folder, `BTC-USD`.
        public let pair: String
        public let kind: RecordedStream
        /// The UTC day, `YYYY-MM-DD`.
        public let date: String
        /// At least one file.
        public let files: [DayFile]

        /// The first file's path (for messages about the day).
        public var path: String { files.first?.path ?? "" }
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

    /// Every day with a file of `kind` for `pair`, sorted, each with all of its files.
    public func days(pair: String, kind: RecordedStream) -> [DayFiles] {
        let names = DailyFileName.existing(dataDirectory: path, pair: pair, kind: kind)
        var byDate: [String: [DayFile]] = [:]
        for name in names {
            byDate[name.date, default: []].append(
                DayFile(path: name.path(dataDirectory: path, pair: pair), isCompressed: name.isCompressed))
        }
        return byDate.keys.sorted().map { DayFiles(pair: pair, kind: kind, date: $0, files: byDate[$0] ?? []) }
    }

    /// The files of `kind` for `pair` on `date`, or an error naming the pairs or days that do exist, and
    /// the other stream `view` shows when only that one has the day.
    public func day(pair: String, kind: RecordedStream, date: String) throws(ViewError) -> DayFiles {
        let known = pairs()
        guard known.contains(pair) else {
            throw .unknownPair(pair: pair, dataDirectory: path, availablePairs: known)
        }
        let days = days(pair: pair, kind: kind)
        guard let day = days.first(where: { $0.date == date }) else {
            let other: RecordedStream? = switch kind {
            case .orderBook: .trades
            case .trades: .orderBook
            default: nil
            }
            let otherHasDay = other.map { stream in self.days(pair: pair, kind: stream).contains { $0.date == date } }
            throw .noFileForDay(
                pair: pair, kind: kind, date: date, availableDates: days.map(\.date),
                otherStream: otherHasDay == true ? other : nil)
        }
        return day
    }

    /// The file's size in bytes, or nil if it cannot be read.
    public static func size(of path: String) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber
        else { return nil }
        return size.int64Value
    }
}
