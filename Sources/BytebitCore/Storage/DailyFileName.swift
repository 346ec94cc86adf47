import Foundation

/// The name of one daily file: `orderbook_data_2026-11-21.csv`, its gzip form `….csv.gz`, in the
/// stream's folder or in a layout sub-folder (`orderbook/levels-25/…`) when its layout is not the pair's
/// first (`levels` changed): rows are never mixed under one header, and a glob over one folder meets one
/// header. Numbered variants `orderbook_data_2026-11-21.1.csv`, `.2.csv`, … are what older versions
/// wrote for a changed layout; they are still read, and still used for a stream without layout folders
/// whose existing file has another header.
public struct DailyFileName: Hashable, Sendable, CustomStringConvertible {
    public var kind: RecordedStream
    /// The UTC day (days since 1970-01-01).
    public var day: Int64
    /// The layout sub-folder of the stream's folder (`levels-25`); nil for the stream's folder itself.
    public var layoutFolder: String?
    /// 0 for the plain name, n for `.n.csv`.
    public var variant: Int
    public var isCompressed: Bool

    public init(
        kind: RecordedStream, day: Int64, layoutFolder: String? = nil, variant: Int = 0, isCompressed: Bool = false
    ) {
        self.kind = kind
        self.day = day
        self.layoutFolder = layoutFolder
        self.variant = variant
        self.isCompressed = isCompressed
    }

    /// Parses a file name of `kind` found in `layoutFolder` (nil: the stream's folder); nil for anything
    /// else (temporary files included).
    public init?(parsing name: String, kind: RecordedStream, layoutFolder: String? = nil) {
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
        self.init(
            kind: kind, day: midnight.dayNumber, layoutFolder: layoutFolder, variant: variant, isCompressed: compressed)
    }

    /// `YYYY-MM-DD` of `day`.
    public var date: String { Self.date(ofDay: day) }

    /// The file name without folder.
    public var fileName: String {
        kind.fileStem + date + (variant > 0 ? ".\(variant)" : "") + (isCompressed ? ".csv.gz" : ".csv")
    }

    /// The name under the stream's folder: `levels-25/orderbook_data_2026-11-21.csv` or just the file name.
    public var relativePath: String { (layoutFolder.map { $0 + "/" } ?? "") + fileName }

    public var description: String { relativePath }

    /// The same file in the other form (plain ↔ gzip).
    public var plain: DailyFileName { with(isCompressed: false) }
    public var compressed: DailyFileName { with(isCompressed: true) }

    private func with(isCompressed: Bool) -> DailyFileName {
        DailyFileName(kind: kind, day: day, layoutFolder: layoutFolder, variant: variant, isCompressed: isCompressed)
    }

    /// `<data_dir>/<PAIR>/<stream folder>`.
    public static func folder(dataDirectory: String, pair: String, kind: RecordedStream) -> String {
        dataDirectory + "/" + pair + "/" + kind.folderName
    }

    /// The folder this file is in: the stream's folder or its layout sub-folder.
    public func folder(dataDirectory: String, pair: String) -> String {
        Self.folder(dataDirectory: dataDirectory, pair: pair, kind: kind) + (layoutFolder.map { "/" + $0 } ?? "")
    }

    /// The full path.
    public func path(dataDirectory: String, pair: String) -> String {
        folder(dataDirectory: dataDirectory, pair: pair) + "/" + fileName
    }

    /// Every daily file of `kind` for `pair`: in the stream's folder and in its layout sub-folders, plain
    /// and gzip, numbered variants included; sorted by day, then folder, variant, gzip before plain.
    public static func existing(dataDirectory: String, pair: String, kind: RecordedStream) -> [DailyFileName] {
        let folder = Self.folder(dataDirectory: dataDirectory, pair: pair, kind: kind)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var files: [DailyFileName] = []
        for name in names where !name.hasPrefix(".") {
            if let parsed = DailyFileName(parsing: name, kind: kind) {
                files.append(parsed)
                continue
            }
            var isDirectory: ObjCBool = false
            guard !name.hasPrefix(kind.fileStem),
                  FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory),
                  isDirectory.boolValue,
                  let inner = try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + name)
            else { continue }
            files += inner.compactMap { DailyFileName(parsing: $0, kind: kind, layoutFolder: name) }
        }
        return files.sorted { a, b in
            (a.day, a.layoutFolder ?? "", a.variant, a.isCompressed ? 0 : 1)
                < (b.day, b.layoutFolder ?? "", b.variant, b.isCompressed ? 0 : 1)
        }
    }

    static func date(ofDay day: Int64) -> String {
        UTCTimestamp(microsecondsSince1970: day * UTCTimestamp.microsecondsPerDay).utcDate
    }
}
