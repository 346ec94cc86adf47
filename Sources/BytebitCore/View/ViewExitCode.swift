/// Exit codes of `view` and `list` (SPEC §5: 0 ok, 1 anything else, 64 usage).
public enum ViewExitCode {
    public static let success: Int32 = 0
    /// No data for the pair/day/window, or a file that cannot be read.
    public static let noData: Int32 = 1
    public static let usage: Int32 = 64
    /// Output was produced but corrupt rows were skipped (sysexits EX_DATAERR).
    public static let corruptRowsSkipped: Int32 = 65
}
