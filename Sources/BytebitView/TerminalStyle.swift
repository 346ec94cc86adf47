import BytebitCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How wide the table may be and whether it may use colour.
public struct TerminalStyle: Sendable, Equatable {
    /// Columns available; tables drop their least important columns to fit.
    public var width: Int
    /// ANSI colour, only on a terminal and never when NO_COLOR is set.
    public var usesColour: Bool

    public init(width: Int, usesColour: Bool) {
        self.width = width
        self.usesColour = usesColour
    }

    /// The style for standard output: the terminal's width (or $COLUMNS, or 120 when not a terminal), and
    /// colour only when stdout is a terminal and NO_COLOR is unset or empty (https://no-color.org).
    public static func forStandardOutput(environment: [String: String]) -> TerminalStyle {
        let isTerminal = isatty(STDOUT_FILENO) == 1
        var width = 120
        var size = winsize()
        if isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            width = Int(size.ws_col)
        } else if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            width = columns
        }
        let noColour = !(environment["NO_COLOR"] ?? "").isEmpty
        return TerminalStyle(width: width, usesColour: isTerminal && !noColour)
    }

    /// A colour a cell may be painted in.
    enum Colour: String {
        case green = "32"
        case red = "31"
        case dim = "2"
        case bold = "1"
    }

    func paint(_ text: String, _ colour: Colour?) -> String {
        guard usesColour, let colour else { return text }
        return "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m"
    }
}
