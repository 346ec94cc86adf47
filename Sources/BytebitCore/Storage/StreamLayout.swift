/// One layout of a stream: the columns of its files for one value of `levels` (streams without levels
/// have one layout). Files of one layout share a header; files of another go elsewhere
/// (`layoutFolderName`), so a glob over one folder always meets one schema.
public struct StreamLayout: Sendable, Hashable, CustomStringConvertible {
    public let stream: RecordedStream
    /// Price levels per side for the order book; 0 for streams without levels.
    public let levels: Int

    public init(stream: RecordedStream, levels: Int = 0) {
        self.stream = stream
        self.levels = stream.hasLevels ? levels : 0
    }

    /// The column names in file order.
    public var columns: [String] { stream.columns(levels: levels) }

    /// The header line with its newline.
    public var header: [UInt8] { Array((columns.joined(separator: ",") + "\n").utf8) }

    /// The sub-folder of the stream's folder that holds files of this layout when they are not the pair's
    /// first layout: `levels-25`. Nil for streams with one layout.
    public var layoutFolderName: String? { stream.hasLevels ? "levels-\(levels)" : nil }

    /// Reads the layout from a header's cells (spaces around names are tolerated); nil when they are not
    /// a header of `stream`.
    public init?(stream: RecordedStream, headerCells cells: [String]) {
        let names = cells.map(Self.trimmingSpaces)
        var levels = 0
        if stream.hasLevels {
            guard names.count >= 7, (names.count - 3) % 4 == 0 else { return nil }
            levels = (names.count - 3) / 4
        }
        guard stream.columns(levels: levels) == names else { return nil }
        self.init(stream: stream, levels: levels)
    }

    public var description: String { stream.hasLevels ? "\(stream) \(layoutFolderName ?? "")" : "\(stream)" }

    private static func trimmingSpaces(_ text: String) -> String {
        var scalars = Substring(text)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
