/// The name of one daily file: `orderbook_data_2026-11-21.csv`, its gzip form `….csv.gz`, and layout
/// variants `orderbook_data_2026-11-21.1.csv`, `.2.csv`, … used when an existing file of that day
/// has a different header (e.g. `levels` changed in the config): rows are never mixed under one header,
/// so a changed layout goes to the first variant whose header matches or that does not exist yet.
public struct DailyFileName: Hashable, Sendable, CustomStringConvertible {
    public var kind: DataFileKind
    /// The UTC day (days since 1970-01-01).
    public var day: Int64
    /// 0 for the plain name, n for `.n.csv`.
    public var variant: Int
    public var isCompressed: Bool

    public init(kind: DataFileKind, day: Int64, variant: Int = 0, isCompressed: Bool = false) {
        self.kind = kind
        self.day = day
        self.variant = variant
        self.isCompressed = isCompressed
    }

    /// Parses a file name of `kind`; nil for anything else (temporary files included).
    public init?(parsing name: String, kind: DataFileKind) {
        guard name.hasPrefix(kind.fileStem) else { return nil }
        var rest = Substring(name.dropFirst(kind.fileStem.count))
        let compressed = rest.hasSuffix(".csv.gz")
        if compressed {
            rest = rest.dropLast(7)
        } else if rest.hasSuffix(".csv") {
            rest = rest.dropLast(4)
        } else {
            return nil
        }
        let date = rest.prefix(10)
        guard date.count == 10, let midnight = UTCTimestamp(date + "T00:00:00Z") else { return nil }
        let suffix = rest.dropFirst(10)
        var variant = 0
        if !suffix.isEmpty {
            guard suffix.first == ".", let number = Int(suffix.dropFirst()), number > 0 else { return nil }
            variant = number
        }
        self.init(kind: kind, day: midnight.dayNumber, variant: variant, isCompressed: compressed)
    }

    /// `YYYY-MM-DD` of `day`.
    public var date: String { Self.date(ofDay: day) }

    /// The file name without folder.
    public var fileName: String {
        kind.fileStem + date + (variant > 0 ? ".\(variant)" : "") + (isCompressed ? ".csv.gz" : ".csv")
    }

    public var description: String { fileName }

    /// The same file in the other form (plain ↔ gzip).
    public var plain: DailyFileName { DailyFileName(kind: kind, day: day, variant: variant, isCompressed: false) }
    public var compressed: DailyFileName { DailyFileName(kind: kind, day: day, variant: variant, isCompressed: true) }

    /// `<data_dir>/<PAIR>/<kind folder>`.
    public static func folder(dataDirectory: String, pair: String, kind: DataFileKind) -> String {
        dataDirectory + "/" + pair + "/" + kind.folderName
    }

    /// The full path under the pair's folder for this kind.
    public func path(dataDirectory: String, pair: String) -> String {
        Self.folder(dataDirectory: dataDirectory, pair: pair, kind: kind) + "/" + fileName
    }

    static func date(ofDay day: Int64) -> String {
        UTCTimestamp(microsecondsSince1970: day * UTCTimestamp.microsecondsPerDay).utcDate
    }
}
