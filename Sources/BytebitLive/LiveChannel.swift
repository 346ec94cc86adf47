/// The kinds of live message a client can subscribe to (SPEC §9).
public enum LiveChannel: String, CaseIterable, Sendable, Hashable {
    case book
    case trade
    case kline
    case event
}
