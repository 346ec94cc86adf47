/// Durations as users write them in the config and on the command line: `500ms`, `1s`, `5m`, `2h`.
///
/// Forwards to `TimeSpan` (Time/TimeSpan+Text.swift), the one duration type; call sites move to
/// `TimeSpan(configText:)`, `TimeSpan.configText` and `TimeSpan.expectedConfigForm`.
public enum DurationText {
    /// What a duration must look like, for error messages.
    public static var expectedForm: String { TimeSpan.expectedConfigForm }

    /// The duration in microseconds, or nil unless `text` is a positive whole number and a unit.
    public static func microseconds(in text: String) -> Int64? {
        TimeSpan(configText: text)?.microseconds
    }

    /// The shortest exact text for `microseconds`: `1h`, `90s`, `500ms`; `µs` when nothing larger divides it.
    public static func text(microseconds: Int64) -> String {
        TimeSpan(microseconds: microseconds).configText
    }
}
