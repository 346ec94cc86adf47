import ArgumentParser
import BytebitCore
import KrakenSim

/// `N:S` on the command line: after N data messages, for S seconds.
struct MessagesAndSeconds: ExpressibleByArgument {
    var messages: Int
    var seconds: Double

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let messages = Int(parts[0]), let seconds = Double(parts[1]) else { return nil }
        self.messages = messages
        self.seconds = seconds
    }
}

/// `--fault-connections first|every|N`.
struct FaultScopeArgument: ExpressibleByArgument {
    var scope: SimFaultScope

    init(_ scope: SimFaultScope) {
        self.scope = scope
    }

    var defaultValueDescription: String {
        switch scope {
        case .firstConnection: return "first"
        case .everyConnection: return "every"
        case .connection(let number): return "\(number)"
        }
    }

    init?(argument: String) {
        switch argument {
        case "first": scope = .firstConnection
        case "every", "all": scope = .everyConnection
        default:
            guard let number = Int(argument), number >= 1 else { return nil }
            scope = .connection(number: number)
        }
    }
}

/// `--start 2026-11-21T23:59:55Z`.
struct TimestampArgument: ExpressibleByArgument {
    var timestamp: UTCTimestamp

    init?(argument: String) {
        guard let timestamp = UTCTimestamp(argument) else { return nil }
        self.timestamp = timestamp
    }
}

/// `600s`, `10m`, `1h` or plain seconds (`600`).
struct SecondsArgument: ExpressibleByArgument {
    var seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
    }

    var defaultValueDescription: String { "\(Int(seconds))s" }

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var text = Substring(argument)
        var factor = 1.0
        if let last = text.last, let unit = units[last] {
            factor = unit
            text = text.dropLast()
        }
        guard let value = Double(text), value >= 0, value.isFinite else { return nil }
        seconds = value * factor
    }
}
