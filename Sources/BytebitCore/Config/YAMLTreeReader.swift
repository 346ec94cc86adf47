import CYAML

/// Reads one YAML document into a `YAMLNode` tree with libyaml's event parser.
///
/// Anchors, aliases, tags and multi-document streams are rejected: a config rarely needs them,
/// `defaults:` already covers sharing settings, and rejecting them keeps every value's position exact.
struct YAMLTreeReader {
    /// The file name used in error messages.
    let fileName: String

    /// Parses `text`; returns nil when the stream holds no document or only a null one.
    func readDocument(_ text: String) throws(ConfigError) -> YAMLNode? {
        var bytes = Array(text.utf8)
        // libyaml reads through the pointer during every yaml_parser_parse call, so the whole
        // parse runs inside one scope that keeps the bytes alive and in place.
        let result: Result<YAMLNode?, ConfigError> = bytes.withUnsafeMutableBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return .failure(.syntax(file: fileName, at: .start, problem: "libyaml could not start (out of memory)",
                                        context: nil))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = TreeBuilder(fileName: fileName)
            do throws(ConfigError) {
                return .success(try builder.run(&parser))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// Turns libyaml's event stream into nodes with an explicit stack of open collections.
private struct TreeBuilder {
    let fileName: String
    private var stack: [OpenCollection] = []
    private var root: YAMLNode?
    private var documentCount = 0

    init(fileName: String) {
        self.fileName = fileName
    }

    private enum OpenCollection {
        case map(entries: [YAMLMapEntry], mark: SourceMark, pendingKey: YAMLScalar?)
        case list(items: [YAMLNode], mark: SourceMark)
    }

    mutating func run(_ parser: inout yaml_parser_t) throws(ConfigError) -> YAMLNode? {
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw syntaxError(parser)
            }
            defer { yaml_event_delete(&event) }
            let mark = SourceMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root.flatMap { node in
                    if case .scalar(let scalar) = node, scalar.isNull { return nil }
                    return node
                }
            case YAML_DOCUMENT_START_EVENT:
                documentCount += 1
                if documentCount > 1 {
                    throw .unsupportedFeature(file: fileName, at: mark, feature: "several YAML documents (---)",
                                              advice: "keep one document per file")
                }
            case YAML_ALIAS_EVENT:
                throw anchorsRejected(at: mark)
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                try rejectAnchorAndTag(anchor: scalar.anchor, tag: scalar.tag, at: mark)
                let text = scalar.value.map {
                    String(decoding: UnsafeBufferPointer(start: $0, count: Int(scalar.length)), as: UTF8.self)
                } ?? ""
                let isQuoted = scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
                    || scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
                    || scalar.style == YAML_LITERAL_SCALAR_STYLE
                    || scalar.style == YAML_FOLDED_SCALAR_STYLE
                try attach(.scalar(YAMLScalar(text: text, isQuoted: isQuoted, mark: mark)))
            case YAML_MAPPING_START_EVENT:
                try rejectAnchorAndTag(anchor: event.data.mapping_start.anchor, tag: event.data.mapping_start.tag,
                                       at: mark)
                stack.append(.map(entries: [], mark: mark, pendingKey: nil))
            case YAML_SEQUENCE_START_EVENT:
                try rejectAnchorAndTag(anchor: event.data.sequence_start.anchor,
                                       tag: event.data.sequence_start.tag, at: mark)
                stack.append(.list(items: [], mark: mark))
            case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                guard let open = stack.popLast() else { break }
                switch open {
                case .map(let entries, let start, _): try attach(.map(entries, start))
                case .list(let items, let start): try attach(.list(items, start))
                }
            default:
                break
            }
        }
    }

    private mutating func attach(_ node: YAMLNode) throws(ConfigError) {
        guard let top = stack.popLast() else {
            root = node
            return
        }
        switch top {
        case .list(var items, let mark):
            items.append(node)
            stack.append(.list(items: items, mark: mark))
        case .map(var entries, let mark, let pendingKey):
            if let key = pendingKey {
                entries.append(YAMLMapEntry(key: key, value: node))
                stack.append(.map(entries: entries, mark: mark, pendingKey: nil))
            } else if case .scalar(let key) = node {
                stack.append(.map(entries: entries, mark: mark, pendingKey: key))
            } else {
                throw .unsupportedFeature(file: fileName, at: node.mark, feature: "keys that are maps or lists",
                                          advice: "write each key as plain text")
            }
        }
    }

    private func rejectAnchorAndTag(anchor: UnsafeMutablePointer<yaml_char_t>?,
                                    tag: UnsafeMutablePointer<yaml_char_t>?, at mark: SourceMark) throws(ConfigError) {
        if anchor != nil { throw anchorsRejected(at: mark) }
        if tag != nil {
            throw .unsupportedFeature(file: fileName, at: mark, feature: "YAML tags (!!str, !!int, …)",
                                      advice: "write the value plainly; quote it to make it text")
        }
    }

    private func anchorsRejected(at mark: SourceMark) -> ConfigError {
        .unsupportedFeature(file: fileName, at: mark, feature: "anchors and aliases (&name, *name)",
                            advice: "write the values out, or put shared market settings under `defaults:`")
    }

    private func syntaxError(_ parser: yaml_parser_t) -> ConfigError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
        if parser.error == YAML_READER_ERROR {
            // Reader errors (bad encoding) carry a byte offset, not a line and column.
            return .syntax(file: fileName, at: .start, problem: problem,
                           context: "at byte offset \(parser.problem_offset)")
        }
        let mark = SourceMark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        let context = parser.context.map { text in
            let contextMark = SourceMark(line: Int(parser.context_mark.line) + 1,
                                         column: Int(parser.context_mark.column) + 1)
            return "\(String(cString: text)) started at \(contextMark)"
        }
        return .syntax(file: fileName, at: mark, problem: problem, context: context)
    }
}
