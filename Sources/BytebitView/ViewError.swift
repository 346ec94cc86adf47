import BytebitCore

/// What can go wrong while reading recorded files for `bytebit view` / `bytebit list`; each case says
/// what was asked, what exists and what to do.
public enum ViewError: Error, Equatable, CustomStringConvertible {
    /// The pair has no folder under the data directory.
    case unknownPair(pair: String, dataDirectory: String, availablePairs: [String])
    /// The pair exists but has no file of this stream for this day; `otherStream` has one (suggested).
    case noFileForDay(pair: String, kind: RecordedStream, date: String, availableDates: [String], otherStream: RecordedStream?)
    /// A file exists but holds no rows (empty, or a header only).
    case noRows(path: String, reason: String)
    /// The window or filters matched nothing.
    case noMatchingRows(pair: String, date: String)
    /// A file could not be opened or read.
    case unreadable(path: String, errno: Int32)
    /// A gzip file whose compressed data is damaged.
    case corruptCompressedFile(path: String, detail: String)
    /// The first line is not the header SPEC §4 defines for this kind of file.
    case unexpectedHeader(path: String, found: String)
    /// A date, time or option value that cannot be understood.
    case invalidOption(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .unknownPair(pair, directory, pairs):
            let known = pairs.isEmpty ? "no pairs are recorded there yet" : "pairs on disk: \(pairs.joined(separator: ", "))"
            return "no data for pair \(pair) in \(directory); \(known)"
        case let .noFileForDay(pair, kind, date, dates, other):
            let missing = "no \(kind.folderName) file for \(pair) on \(date)"
            switch other {
            case .trades?: return "\(missing), but it has trades: add --trades"
            case .orderBook?: return "\(missing), but it has an order book: leave out --trades"
            default: break
            }
            let known = dates.isEmpty
                ? "no \(kind.folderName) files exist for \(pair)"
                : "days with \(kind.folderName) files: \(dates.joined(separator: ", "))"
            return dates.isEmpty ? "\(missing); \(known)" : "\(missing); \(known) (choose one with --date)"
        case let .noRows(path, reason):
            return "no data in \(path): \(reason)"
        case let .noMatchingRows(pair, date):
            return "no rows for \(pair) on \(date) match the time window and filters; widen --from/--to or the filters"
        case let .unreadable(path, code):
            return "cannot read \(path): \(ViewError.errnoText(code))"
        case let .corruptCompressedFile(path, detail):
            return "\(path) is a damaged gzip file (\(detail)); rows before the damage were shown"
        case let .unexpectedHeader(path, found):
            return "\(path) does not start with a bytebit header (found \"\(found.prefix(80))\"); is it a bytebit file?"
        case let .invalidOption(name, value, expected):
            return "invalid \(name) \"\(value)\": expected \(expected)"
        }
    }

    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
