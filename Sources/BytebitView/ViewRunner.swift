import BytebitCore

/// Runs `bytebit view`: finds the day file, streams the rows of the window through the filters into the
/// chosen format, or summarises them. Drives no terminal itself: output and follow control are injected.
public struct ViewRunner {
    /// Where the recorded files are.
    public let dataDirectory: DataDirectory
    /// Terminal width and colour for tables.
    public let style: TerminalStyle

    public init(dataDirectory: DataDirectory, style: TerminalStyle) {
        self.dataDirectory = dataDirectory
        self.style = style
    }

    /// Shows what `request` asks for on `output`. Throws when there is nothing to show (exit 1);
    /// corrupt rows are skipped and listed in the report.
    public func run(_ request: ViewRequest, output: ViewOutput, follow: FollowControl? = nil) throws -> ViewReport {
        if let interval = request.klines {
            return try KlineView(dataDirectory: dataDirectory, style: style).run(request, interval: interval, output: output)
        }
        if request.showsSummary {
            return try summarize(request, output: output)
        }
        let session = try RowSession(request: request, dataDirectory: dataDirectory, style: style, output: output)
        var end = try session.showRows(isFollowing: follow != nil && request.follows)
        if request.follows, let follow {
            end = try session.follow(from: end, control: follow)
        } else {
            try session.requireRows()
        }
        return try session.finish()
    }
}
