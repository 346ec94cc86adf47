import BytebitCore

/// How `view` and `list` print rows.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns for people, fitted to the terminal, coloured on a terminal.
    case table
    /// SPEC §4's columns, for other tools.
    case csv
    /// One JSON object per line; numbers keep their exact digits.
    case json
}
