import Foundation

/// Why a config file was rejected. Every case names the file and, when the file could be read,
/// the line:column, the dotted key, what was found and what is allowed, so the user can fix it.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read (permissions, a directory, an I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file holds no YAML document, or only comments.
    case emptyFile(file: String)
    /// libyaml could not parse the text; `problem` and `context` are libyaml's own words.
    case syntax(file: String, at: SourceMark, problem: String, context: String?)
    /// A YAML feature the config deliberately does not accept (anchors, aliases, tags, several documents).
    case unsupportedFeature(file: String, at: SourceMark, feature: String, advice: String)
    /// A value has the wrong type or is out of range.
    case invalidValue(file: String, at: SourceMark, key: String, found: String, expected: String)
    /// A key that the config does not know, with the closest known key when one is near.
    case unknownKey(file: String, at: SourceMark, key: String, allowed: [String], suggestion: String?)
    /// The same key twice in one map.
    case duplicateKey(file: String, at: SourceMark, key: String, firstLine: Int)
    /// The same market twice (after aliases such as XBT → BTC are normalised).
    case duplicatePair(file: String, at: SourceMark, key: String, pair: String, firstKey: String, firstLine: Int)
    /// A key that must be present is absent.
    case missingKey(file: String, at: SourceMark, key: String, expected: String)

    /// The process exit status for a config error: always 78 (SPEC §5).
    public var exitStatus: ExitStatus { .configuration }

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such config file; pass --config PATH, or start from config.yaml.example"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the config file: \(reason)"
        case .emptyFile(let file):
            return "\(file):1:1: the file is empty, expected a map with at least a `markets:` list"
        case .syntax(let file, let mark, let problem, let context):
            let suffix = context.map { " (\($0))" } ?? ""
            return "\(file):\(mark): YAML syntax error: \(problem)\(suffix)"
        case .unsupportedFeature(let file, let mark, let feature, let advice):
            return "\(file):\(mark): \(feature) are not supported in the config; \(advice)"
        case .invalidValue(let file, let mark, let key, let found, let expected):
            return "\(file):\(mark): \(key): found \(found), expected \(expected)"
        case .unknownKey(let file, let mark, let key, let allowed, let suggestion):
            let hint = suggestion.map { " (did you mean \($0)?)" } ?? ""
            return "\(file):\(mark): \(key): unknown key\(hint), expected one of \(allowed.joined(separator: ", "))"
        case .duplicateKey(let file, let mark, let key, let firstLine):
            return "\(file):\(mark): \(key): duplicate key, first set at line \(firstLine); each key may appear once"
        case .duplicatePair(let file, let mark, let key, let pair, let firstKey, let firstLine):
            return "\(file):\(mark): \(key): found \(pair) again, first listed at line \(firstLine) as "
                + "\(firstKey); each pair may be listed once"
        case .missingKey(let file, let mark, let key, let expected):
            return "\(file):\(mark): \(key): missing, expected \(expected)"
        }
    }
}
