import Foundation

extension RunDirectory {
    /// The run folder of the config file at `configPath` when the file cannot be loaded (e.g. it was
    /// edited and the reload rejected): `bytebit status` must still answer. The file's top-level
    /// `log_dir` if the YAML can still be read and has one, otherwise the default `logs` folder next
    /// to the file; `source` says which, for the message.
    public static func locate(configPath: String) -> (directory: RunDirectory, source: String) {
        let folder = PathResolver.folder(of: configPath)
        if let text = try? String(contentsOfFile: configPath, encoding: .utf8),
            let written = logDirectoryWritten(in: text, fileName: configPath), !written.hasPrefix("~")
        {
            return (RunDirectory(logDirectory: PathResolver.absolute(written, relativeTo: folder)),
                    "log_dir as written in \(configPath)")
        }
        return (RunDirectory(logDirectory: PathResolver.absolute("logs", relativeTo: folder)), "the default log_dir")
    }

    /// The `log_dir:` value of a YAML document whose other parts may be invalid.
    static func logDirectoryWritten(in text: String, fileName: String) -> String? {
        guard case .map(let entries, _)? = try? YAMLTreeReader(fileName: fileName).readDocument(text),
            let entry = entries.first(where: { $0.key.text == "log_dir" }),
            case .scalar(let scalar) = entry.value, !scalar.isNull
        else { return nil }
        return scalar.text
    }
}
