import Foundation

/// A rebuilt day of one interval's candles as a file: the header and the rows, written whole
/// (temporary file, then `rename(2)`), so a reader never sees half a rebuild.
public enum KlineDayFile {
    /// The file's bytes: the header, then one row per candle.
    public static func bytes(of klines: [KlineRecord]) -> [UInt8] {
        var bytes = StreamLayout(stream: .klines(.oneMinute)).header
        bytes.reserveCapacity(bytes.count + klines.count * 120)
        for kline in klines { KlineCSV.appendRow(kline, to: &bytes) }
        return bytes
    }

    /// `<data_dir>/<PAIR>/klines/klines_<interval>_DATE.csv`.
    public static func path(dataDirectory: String, pair: String, interval: KlineInterval, day: Int64) -> String {
        DailyFileName(kind: .klines(interval), day: day).path(dataDirectory: dataDirectory, pair: pair)
    }

    /// Replaces the day's klines file of `interval` in the data folder with `klines`; a gzip of the
    /// same day is removed after (it would hold the old candles beside the new ones).
    public static func replace(
        dataDirectory: String, pair: String, interval: KlineInterval, day: Int64, with klines: [KlineRecord]
    ) throws -> String {
        let name = DailyFileName(kind: .klines(interval), day: day)
        let folder = name.folder(dataDirectory: dataDirectory, pair: pair)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = name.path(dataDirectory: dataDirectory, pair: pair)
        try write(bytes(of: klines), to: path)
        let gzip = name.compressed.path(dataDirectory: dataDirectory, pair: pair)
        if access(gzip, F_OK) == 0 { unlink(gzip) }
        return path
    }

    /// Writes `bytes` to `path` whole (temporary file in the same folder, then rename).
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try AtomicFile.write(bytes, to: path)
    }
}
