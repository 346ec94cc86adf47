/// A place in the config file, 1-based, as editors number lines and columns.
public struct SourceMark: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The 1-based line.
    public let line: Int
    /// The 1-based column, in characters.
    public let column: Int

    /// The mark at `line`:`column`, both 1-based.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The first character of a file: where errors about the whole file point.
    public static let start = SourceMark(line: 1, column: 1)

    public var description: String { "\(line):\(column)" }
}
