import BytebitCore
import Foundation
import Testing

/// The frame with its `time_out` value replaced by `OUT`, after checking that it follows `time_in`
/// by 20–60 µs as Kraken's acknowledgements do.
func replacingTimeOut(_ frame: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let json = try RawJSON.parse(frame)
    let timeIn = try #require(json["time_in"]?.string.flatMap { UTCTimestamp($0) }, sourceLocation: sourceLocation)
    let outText = try #require(json["time_out"]?.string, sourceLocation: sourceLocation)
    let timeOut = try #require(UTCTimestamp(outText), sourceLocation: sourceLocation)
    #expect((20...60).contains(timeOut.microseconds - timeIn.microseconds), sourceLocation: sourceLocation)
    return frame.replacingOccurrences(of: #""time_out":"\#(outText)""#, with: #""time_out":"OUT""#)
}
