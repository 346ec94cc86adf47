/// Typed access to the YAML tree: each accessor returns a value or throws a `ConfigError` naming
/// the file, the mark, the dotted key, what was found and what was expected.
struct ConfigValueReader {
    /// The file name used in error messages.
    let fileName: String

    /// The entries of a map, checked for unknown and duplicate keys; a null value counts as an empty map.
    func entries(of node: YAMLNode, key: String, allowed: [String]) throws(ConfigError) -> [String: YAMLMapEntry] {
        let list: [YAMLMapEntry]
        switch node {
        case .map(let entries, _):
            list = entries
        case .scalar(let scalar) where scalar.isNull:
            list = []
        default:
            throw .invalidValue(file: fileName, at: node.mark, key: key, found: node.asWritten,
                                expected: "a map with keys \(allowed.joined(separator: ", "))")
        }
        var byKey: [String: YAMLMapEntry] = [:]
        for entry in list {
            let name = entry.key.text
            let path = Self.path(key, name)
            guard allowed.contains(name) else {
                throw .unknownKey(file: fileName, at: entry.key.mark, key: path, allowed: allowed,
                                  suggestion: KeySuggestion.closest(to: name, among: allowed))
            }
            if let first = byKey[name] {
                throw .duplicateKey(file: fileName, at: entry.key.mark, key: path, firstLine: first.key.mark.line)
            }
            byKey[name] = entry
        }
        return byKey
    }

    /// Non-null scalar text; any plain or quoted scalar is accepted as text.
    func text(_ node: YAMLNode, key: String, expected: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !scalar.isNull else {
            throw .invalidValue(file: fileName, at: node.mark, key: key, found: node.asWritten, expected: expected)
        }
        return scalar.text
    }

    /// A plain decimal integer; quoted digits are text, not numbers.
    func integer(_ node: YAMLNode, key: String, expected: String) throws(ConfigError) -> Int {
        guard case .scalar(let scalar) = node, !scalar.isQuoted,
            scalar.text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }),
            let value = Int(scalar.text)
        else {
            throw .invalidValue(file: fileName, at: node.mark, key: key, found: node.asWritten, expected: expected)
        }
        return value
    }

    /// A plain `true` or `false` (YAML 1.2); `yes`, `on` and quoted text are refused, not guessed.
    func bool(_ node: YAMLNode, key: String) throws(ConfigError) -> Bool {
        if case .scalar(let scalar) = node, !scalar.isQuoted {
            switch scalar.text {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        throw .invalidValue(file: fileName, at: node.mark, key: key, found: node.asWritten, expected: "true or false")
    }

    /// A duration such as `500ms`, in microseconds.
    func duration(_ node: YAMLNode, key: String) throws(ConfigError) -> Int64 {
        let written = try text(node, key: key, expected: TimeSpan.expectedConfigForm)
        guard let span = TimeSpan(configText: written) else {
            throw .invalidValue(file: fileName, at: node.mark, key: key, found: node.asWritten,
                                expected: TimeSpan.expectedConfigForm)
        }
        return span.microseconds
    }

    /// One of a fixed set of words.
    func choice(_ node: YAMLNode, key: String, among allowed: [String]) throws(ConfigError) -> String {
        let expected = "one of \(allowed.joined(separator: ", "))"
        let written = try text(node, key: key, expected: expected)
        guard allowed.contains(written) else {
            throw .invalidValue(file: fileName, at: node.mark, key: key, found: node.asWritten, expected: expected)
        }
        return written
    }

    /// The items of a list.
    func items(of node: YAMLNode, key: String, expected: String) throws(ConfigError) -> [YAMLNode] {
        guard case .list(let items, _) = node else {
            throw .invalidValue(file: fileName, at: node.mark, key: key, found: node.asWritten, expected: expected)
        }
        return items
    }

    /// The dotted path of `child` under `parent`; the root has the empty path.
    static func path(_ parent: String, _ child: String) -> String {
        parent.isEmpty ? child : "\(parent).\(child)"
    }
}
