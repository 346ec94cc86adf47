import Foundation

/// Whole-file rewrites that a reader never sees half done: write a temporary file in the same
/// folder, then `rename(2)` it over the old one (atomic on POSIX file systems).
enum AtomicFile {
    /// Replaces the contents of `path` with `bytes` (a new file with `mode`).
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(SupervisorError) {
        let temporaryPath = "\(path).tmp-\(getpid())"
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .cannotWrite(path: temporaryPath, reason: SupervisorError.errnoText()) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Foundation.write(fd, buffer.baseAddress?.advanced(by: written), bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = SupervisorError.errnoText()
                close(fd)
                unlink(temporaryPath)
                throw .cannotWrite(path: temporaryPath, reason: reason)
            }
            written += result
        }
        close(fd)
        guard rename(temporaryPath, path) == 0 else {
            let reason = SupervisorError.errnoText()
            unlink(temporaryPath)
            throw .cannotWrite(path: path, reason: reason)
        }
    }

    /// The whole contents of `path`.
    static func read(_ path: String) throws(SupervisorError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "unreadable" : "no such file"
            throw .cannotRead(path: path, reason: reason)
        }
        return data
    }
}

extension KeyedDecodingContainer {
    /// Decodes an RFC 3339 timestamp written as a JSON string.
    func decodeTimestamp(forKey key: Key) throws -> UTCTimestamp {
        let text = try decode(String.self, forKey: key)
        guard let instant = UTCTimestamp(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "not an RFC 3339 UTC time: \(text)")
        }
        return instant
    }

    /// Decodes an RFC 3339 timestamp, or nil for `null` or a missing key.
    func decodeTimestampIfPresent(forKey key: Key) throws -> UTCTimestamp? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let instant = UTCTimestamp(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "not an RFC 3339 UTC time: \(text)")
        }
        return instant
    }
}

extension KeyedEncodingContainer {
    /// Encodes a timestamp as its RFC 3339 text, or `null`.
    mutating func encodeTimestamp(_ instant: UTCTimestamp?, forKey key: Key) throws {
        if let instant {
            try encode(instant.description, forKey: key)
        } else {
            try encodeNil(forKey: key)
        }
    }
}

extension JSONEncoder {
    /// The encoder for the status files: stable key order so files diff well.
    static var statusFile: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// The status files: JSON rewritten whole.
extension AtomicFile {
    /// Rewrites `path` with `value` as JSON (and a newline); `what` names it in errors.
    static func writeJSON(_ value: some Encodable, to path: String, what: String) throws(SupervisorError) {
        let data: Data
        do {
            data = try JSONEncoder.statusFile.encode(value)
        } catch {
            throw .cannotWrite(path: path, reason: "cannot encode the \(what): \(error)")
        }
        try write(Array(data) + [UInt8(ascii: "\n")], to: path)
    }

    /// Reads a `Value` written by `writeJSON`; `what` names it in errors.
    static func readJSON<Value: Decodable>(
        _ type: Value.Type, from path: String, what: String
    ) throws(SupervisorError) -> Value {
        let data = try read(path)
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw .cannotRead(path: path, reason: "not a \(what): \(error)")
        }
    }
}
