import Foundation

/// Which days are finished and go to the compressor.
extension DailyFileSet {
    /// Finds plain days left by earlier runs (to compress once finished) and removes stale `.gz.tmp` files.
    func scanExistingFiles() {
        guard compressor != nil else { return }
        for kind in RecordedStream.allCases {
            let folder = DailyFileName.folder(dataDirectory: dataDirectory, pair: pair, kind: kind)
            let folders = [folder] + Self.layoutFolders(in: folder).map { folder + "/" + $0 }
            for folder in folders {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
                for name in names where name.hasSuffix(".csv.gz.tmp") { unlink(folder + "/" + name) }
            }
            for file in DailyFileName.existing(dataDirectory: dataDirectory, pair: pair, kind: kind) where !file.isCompressed {
                unfinishedDays.insert(DayKey(kind: kind, day: file.day))
                compressionCheckAt = .min
            }
        }
    }

    /// A day is finished once the clock is `compressionDelay` past its end (late rows then are rare;
    /// if one still comes, the compressor appends it to the `.gz`).
    func compressFinishedDays() {
        guard let compressor, !unfinishedDays.isEmpty else { return }
        let now = clock.now().microseconds
        guard now >= compressionCheckAt else { return }
        defer { compressionCheckAt = nextCompressionAt ?? .max }
        for key in unfinishedDays where now >= (key.day + 1) * UTCTimestamp.microsecondsPerDay + compressionDelay {
            unfinishedDays.remove(key)
            openFiles.removeValue(forKey: key)?.file.close()
            for file in DailyFileName.existing(dataDirectory: dataDirectory, pair: pair, kind: key.kind)
            where !file.isCompressed && file.day == key.day {
                compressor.enqueue(file.path(dataDirectory: dataDirectory, pair: pair))
            }
        }
    }

    /// When the next unfinished day is due for compression (writer clock, microseconds since 1970;
    /// nil: none is waiting), so an idle writer thread wakes for it rather than every second.
    var nextCompressionAt: Int64? {
        guard compressor != nil else { return nil }
        return unfinishedDays.lazy.map { ($0.day + 1) * UTCTimestamp.microsecondsPerDay + self.compressionDelay }.min()
    }

    /// The sub-folders of a stream's folder (layout folders such as `levels-25`).
    static func layoutFolders(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }
}
