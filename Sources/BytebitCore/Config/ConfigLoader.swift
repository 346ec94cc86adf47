import Foundation

/// Reads and validates `config.yaml` (SPEC §3). Every failure is a `ConfigError` (exit 78).
public enum ConfigLoader {
    /// Reads the file at `path`; relative paths inside it are resolved against the file's folder.
    /// `environment` supplies `DATABASE_URL` and `REDIS_URL` (SPEC §3.2).
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> BytebitConfig
    {
        let directory = PathResolver.folder(of: path)
        if let problem = PathResolver.problemReadingFile(at: path) {
            if problem == "no such file" { throw .fileNotFound(path: path) }
            throw .unreadableFile(path: path, reason: problem)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(path: path, reason: "\(error.localizedDescription)")
        }
        let text = String(decoding: data, as: UTF8.self)
        var config = try parse(text: text, fileName: path, directory: directory, environment: environment)
        config.sourcePath = PathResolver.absolute(path, relativeTo: FileManager.default.currentDirectoryPath)
        return config
    }

    /// Validates config text; `fileName` appears in error messages and `directory` (absolute; by default
    /// the folder of `fileName`) anchors relative paths.
    public static func parse(
        text: String, fileName: String, directory: String? = nil, environment: [String: String] = [:]
    ) throws(ConfigError)
        -> BytebitConfig
    {
        let directory = directory ?? PathResolver.folder(of: fileName)
        guard let root = try YAMLTreeReader(fileName: fileName).readDocument(text) else {
            throw .emptyFile(file: fileName)
        }
        let mapper = ConfigMapper(
            reader: ConfigValueReader(fileName: fileName), directory: directory, environment: environment)
        return try mapper.config(from: root)
    }
}
