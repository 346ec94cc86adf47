/// A scalar as written in the file: its text, whether it was quoted, and where it starts.
struct YAMLScalar: Sendable, Equatable {
    /// The scalar's text after YAML unescaping.
    let text: String
    /// Quoted and block (`|`, `>`) scalars are always text; only plain ones can be numbers, booleans or null.
    let isQuoted: Bool
    /// Where the scalar starts.
    let mark: SourceMark

    /// YAML 1.2 core-schema null: an empty plain value, `~` or `null`.
    var isNull: Bool {
        !isQuoted && ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The value as the user wrote it, for error messages: quoted text keeps its quotes.
    var asWritten: String {
        if isNull { return "nothing" }
        return isQuoted ? "\"\(text)\"" : text
    }
}

/// One `key: value` of a YAML map, in file order.
struct YAMLMapEntry: Sendable, Equatable {
    /// The key; the config only uses scalar keys.
    let key: YAMLScalar
    /// The value under the key.
    let value: YAMLNode
}

/// The small YAML tree the config is read from: every node keeps its position for error messages.
indirect enum YAMLNode: Sendable, Equatable {
    case scalar(YAMLScalar)
    case map([YAMLMapEntry], SourceMark)
    case list([YAMLNode], SourceMark)

    /// Where the node starts.
    var mark: SourceMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .map(_, let mark), .list(_, let mark): mark
        }
    }

    /// How the node reads in an error message's "found …" part.
    var asWritten: String {
        switch self {
        case .scalar(let scalar): scalar.asWritten
        case .map: "a map"
        case .list: "a list"
        }
    }
}
