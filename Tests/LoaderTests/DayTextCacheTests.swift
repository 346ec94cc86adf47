import BytebitCore
@testable import BytebitLoader
import Foundation
import Testing

/// The listing cache: folders are listed again only when their modification time moves, and a listing
/// made right after a change is not trusted (two changes within one tick of the kernel's clock).
@Suite struct DayTextCacheTests {
    let files: RecordedFiles
    let date = "2026-11-21"

    init() throws {
        files = try RecordedFiles.make()
    }

    /// Sets a folder's modification time (seconds since 1970), as if its last change were then.
    private func setTime(_ path: String, _ seconds: Int) {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }

    private var pairFolder: String { files.dataDirectory.appendingPathComponent("BTC-USD").path }
    private var tradesFolder: String { files.dataDirectory.appendingPathComponent("BTC-USD/trades").path }

    @Test func anUnchangedFolderIsNotListedAgainAndAChangedOneIs() throws {
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 1), pair: "BTC-USD", stream: .trades, date: date)
        let old = Int(Date().timeIntervalSince1970) - 3600
        setTime(pairFolder, old)
        setTime(tradesFolder, old)
        let cache = DayTextCache(dataDirectory: files.dataDirectory.path)
        #expect(cache.texts(pair: "BTC-USD").count == 1)
        // A new day's file, the folder's time put back: the cache does not look.
        try files.append(RecordedFiles.trades(date: "2026-11-22", firstID: 9, count: 1), pair: "BTC-USD", stream: .trades, date: "2026-11-22")
        setTime(tradesFolder, old)
        #expect(cache.texts(pair: "BTC-USD").count == 1)
        // The folder's time moves: listed again.
        setTime(tradesFolder, old + 1)
        #expect(cache.texts(pair: "BTC-USD").map(\.key.date) == [date, "2026-11-22"])
    }

    @Test func aListingMadeRightAfterAChangeIsCheckedAgain() throws {
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 1), pair: "BTC-USD", stream: .trades, date: date)
        let recent = Int(Date().timeIntervalSince1970)
        setTime(pairFolder, recent - 3600)
        setTime(tradesFolder, recent)
        let cache = DayTextCache(dataDirectory: files.dataDirectory.path)
        #expect(cache.texts(pair: "BTC-USD").count == 1)
        // A second change within the same tick leaves the same time: the cache must not trust it.
        try files.compress(pair: "BTC-USD", stream: .trades, date: date)
        setTime(tradesFolder, recent)
        #expect(cache.texts(pair: "BTC-USD").first?.paths.first?.hasSuffix(".csv.gz") == true)
    }
}
