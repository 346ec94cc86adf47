import Foundation

/// Makes sure a folder the recorder writes into exists and takes files: `bytebit check` runs it on
/// `data_dir` and `log_dir`, so an unwritable folder fails before any row is lost (exit 73).
public enum WritableFolder {
    /// Creates `path` and its parents if needed and creates (then removes) a file in it; returns
    /// why that failed, or nil when the folder is usable.
    public static func problem(at path: String) -> String? {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/\(component)"
            if mkdir(prefix, 0o755) == 0 || errno == EEXIST {
                var info = stat()
                if stat(prefix, &info) != 0 { return "cannot look at \(prefix): \(SupervisorError.errnoText())" }
                if info.st_mode & S_IFMT != S_IFDIR { return "\(prefix) is not a folder" }
                continue
            }
            return "cannot create the folder \(prefix): \(SupervisorError.errnoText())"
        }
        let probe = "\(path)/.bytebit-write-check-\(getpid())"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return "cannot create a file in \(path): \(SupervisorError.errnoText())" }
        close(descriptor)
        unlink(probe)
        return nil
    }
}
