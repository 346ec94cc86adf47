import BytebitCore
import BytebitView
import Foundation

/// The pairs of the data directory and the day texts of each pair, listed again only when a folder
/// they come from changed. Listing a pair's ~20 stream folders every second was most of the loader's
/// CPU while following 50 pairs; a stat of the few folders that exist costs little.
///
/// A folder's modification time moves when an entry is created, renamed or removed in it (a file
/// growing does not move it, and needs no new listing: its signature tells). The stamps are taken
/// before the listing, so a change during it shows next time; and since the kernel's clock for those
/// times is coarse (a few ms), a listing made less than two seconds after a folder changed is not
/// trusted: two changes in one tick would leave the same time.
final class DayTextCache {
    let dataDirectory: String
    private var pairList: (stamps: [String: Int64], isRacy: Bool, names: [String])?
    private var listings: [String: (stamps: [String: Int64], isRacy: Bool, texts: [DayText])] = [:]

    init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// The pair folders, sorted.
    func pairs() -> [String] {
        if let cached = pairList, !cached.isRacy, Self.unchanged(cached.stamps) { return cached.names }
        let (stamps, isRacy) = Self.stamps(of: [dataDirectory])
        let names = DataDirectory(path: dataDirectory).pairs()
        pairList = (stamps, isRacy, names)
        return names
    }

    /// Every key with files for `pair` (`DayText.all`).
    func texts(pair: String) -> [DayText] {
        if let cached = listings[pair], !cached.isRacy, Self.unchanged(cached.stamps) { return cached.texts }
        // The pair folder, its stream folders and their layout folders: every place a day file may be.
        let pairFolder = dataDirectory + "/" + pair
        var folders = [pairFolder]
        for stream in Self.subfolders(of: pairFolder) {
            folders.append(stream)
            folders += Self.subfolders(of: stream)
        }
        let (stamps, isRacy) = Self.stamps(of: folders)
        let texts = DayText.all(dataDirectory: dataDirectory, pair: pair)
        listings[pair] = (stamps, isRacy, texts)
        return texts
    }

    /// Modification time of each folder (ns; -1 when missing), and whether any changed so recently that
    /// another change in the same clock tick could hide behind it.
    private static func stamps(of folders: [String]) -> (stamps: [String: Int64], isRacy: Bool) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nowNanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        var stamps: [String: Int64] = [:]
        var isRacy = false
        for folder in folders {
            let stamp = Self.stamp(folder)
            stamps[folder] = stamp
            if stamp >= 0, nowNanoseconds - stamp < 2_000_000_000 { isRacy = true }
        }
        return (stamps, isRacy)
    }

    private static func unchanged(_ stamps: [String: Int64]) -> Bool {
        stamps.allSatisfy { folder, stamp in Self.stamp(folder) == stamp }
    }

    private static func stamp(_ path: String) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    /// The folders directly inside `path` (not hidden ones).
    private static func subfolders(of path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var folders: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            let child = path + "/" + name
            var isFolder = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
                var info = stat()
                isFolder = stat(child, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            if isFolder { folders.append(child) }
        }
        return folders
    }
}
