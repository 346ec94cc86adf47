import Foundation

/// What went wrong with a data file, with the path and the OS error so an operator can act on it.
public enum StorageError: Error, CustomStringConvertible, Sendable, Equatable {
    case cannotCreateFolder(path: String, errno: Int32)
    case cannotOpen(path: String, errno: Int32)
    case cannotRead(path: String, errno: Int32)
    case cannotWrite(path: String, errno: Int32)
    case cannotRepair(path: String, errno: Int32)
    case compressionFailed(path: String, detail: String)
    case tooManyLayouts(path: String)

    public var description: String {
        switch self {
        case let .cannotCreateFolder(path, code):
            return "cannot create folder \(path): \(Self.text(code)); check that data_dir is writable"
        case let .cannotOpen(path, code):
            return "cannot open \(path): \(Self.text(code)); check permissions and free space"
        case let .cannotRead(path, code):
            return "cannot read \(path): \(Self.text(code))"
        case let .cannotWrite(path, code):
            return "cannot write \(path): \(Self.text(code)); free disk space or fix permissions, writing resumes by itself"
        case let .cannotRepair(path, code):
            return "cannot cut the torn last line of \(path): \(Self.text(code)); fix permissions or remove the file"
        case let .compressionFailed(path, detail):
            return "cannot gzip \(path): \(detail); the plain file is kept and compression is retried on the next start"
        case let .tooManyLayouts(path):
            return "too many files with different headers next to \(path); move old files away"
        }
    }

    /// The C library's text for an errno value (`No space left on device`).
    static func text(_ code: Int32) -> String {
        String(cString: strerror(code)) + " (errno \(code))"
    }
}
