import Foundation

/// Turns config paths into absolute ones, relative to the config file's folder (SPEC §2).
public enum PathResolver {
    /// `path` made absolute against `directory`, with `.` and `..` components removed.
    public static func absolute(_ path: String, relativeTo directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : "\(directory)/\(path)"
        var components: [Substring] = []
        for component in joined.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// The folder holding `file`, made absolute against the current directory.
    public static func folder(of file: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        let absoluteFile = absolute(file, relativeTo: current)
        let parent = absoluteFile.split(separator: "/").dropLast().joined(separator: "/")
        return "/" + parent
    }

    /// Why `path` cannot be read as a file, or nil when it can.
    static func problemReadingFile(at path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "no such file"
        }
        if isDirectory.boolValue { return "a folder, not a file" }
        return FileManager.default.isReadableFile(atPath: path) ? nil : "not readable by this user"
    }
}
