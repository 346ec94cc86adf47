import Foundation

/// Which days are finished and go to the compressor.
extension DailyFileSet {
    /// Finds plain days left by earlier runs (to compress once finished) and removes stale `.gz.tmp` files.
    func scanExistingFiles() {
        guard compressor != nil else { return }
        for kind in DataFileKind.allCases {
            let folder = DailyFileName.folder(dataDirectory: dataDirectory, pair: pair, kind: kind)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names {
                if name.hasSuffix(".csv.gz.tmp") {
                    unlink(folder + "/" + name)
                } else if let parsed = DailyFileName(parsing: name, kind: kind), !parsed.isCompressed {
                    unfinishedDays.insert(DayKey(kind: kind, day: parsed.day))
                }
            }
        }
    }

    /// A day is finished once the clock is `compressionDelay` past its end (late rows then are rare;
    /// if one still comes, the compressor appends it to the `.gz`).
    func compressFinishedDays() {
        guard let compressor, !unfinishedDays.isEmpty else { return }
        let now = clock.now().microseconds
        for key in unfinishedDays where now >= (key.day + 1) * UTCTimestamp.microsecondsPerDay + compressionDelay {
            unfinishedDays.remove(key)
            openFiles.removeValue(forKey: key)?.file.close()
            let folder = DailyFileName.folder(dataDirectory: dataDirectory, pair: pair, kind: key.kind)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names.sorted() {
                guard let parsed = DailyFileName(parsing: name, kind: key.kind), !parsed.isCompressed,
                      parsed.day == key.day else { continue }
                compressor.enqueue(folder + "/" + name)
            }
        }
    }
}
