import Logging

/// The events of the gap ledger, `events_DATE.csv` (SPEC §4.3): the one list of their names, of
/// what each means for the order book's gaps, and of how loudly each is logged.
///
/// Writers (the feed, the recorder, the storage writer) name events with it; readers (`view`,
/// `list`) decide gaps with `gapRole`. Names a ledger may hold that are not listed here (from a
/// newer version) are free text to readers: `LedgerEvent(rawValue:)` is nil for them.
public enum LedgerEvent: String, Sendable, Hashable, CaseIterable {
    /// The collector started; the detail says whether the previous run ended without `stopped`.
    case started
    /// A WebSocket connection opened; after an outage the detail says how many attempts it took.
    case connected
    /// Rows could not be written (full disk, unwritable folder, writer backlog), with their time span.
    case writeFailed = "write_failed"
    /// Kraken acknowledged a book or trade subscription.
    case subscribed
    /// A verified book snapshot: the order book is in sync from here.
    case snapshot
    /// A book message's checksum did not match.
    case checksumMismatch = "checksum_mismatch"
    /// The book is being resubscribed for a fresh snapshot (or the mismatch breaker tripped).
    case resync
    /// The connection ended; one row per outage, however many attempts fail after it.
    case disconnected
    /// No message (or no pong, ack or snapshot) within its deadline: the connection is dropped.
    case stale
    /// Kraken refused a subscription; the detail holds Kraken's error text.
    case rejected
    /// Kraken's `status` left or returned to `online` (both directions write this row).
    case maintenance
    /// A jump in `trade_id`: trades were never received.
    case tradeGap = "trade_gap"
    /// The pair left Kraken's listing (SPEC §7).
    case delisted
    /// One of Kraken's candles (`ohlc:`) was open during a disconnect and Kraken did not send it
    /// again: its last version is unknown, so its interval has no row (SPEC §10).
    case ohlcGap = "ohlc_gap"
    /// The collector stopped.
    case stopped

    /// The name written in the ledger's `event` column.
    public var name: String { rawValue }

    /// What this event means for the order book's gaps (SPEC §4.3).
    public var gapRole: LedgerGapRole {
        switch self {
        // `maintenance` is written when Kraken leaves `online` and when it returns; both open (or
        // continue) a gap: after maintenance the book is trusted only from the fresh snapshot.
        case .checksumMismatch, .disconnected, .stale, .maintenance, .writeFailed, .stopped: .opens
        case .started: .opensAfterEarlierEvents
        case .snapshot: .closes
        case .connected, .subscribed, .resync, .rejected, .tradeGap, .delisted, .ohlcGap: .neutral
        }
    }

    /// How loudly the recorder logs the row: `warning` for events that mean lost or refused data.
    /// Connection trouble that lasts is logged by `FeedAction.reportConnectionTrouble`, not here.
    public var logLevel: Logger.Level {
        switch self {
        case .rejected, .checksumMismatch, .tradeGap, .writeFailed, .delisted, .ohlcGap: .warning
        case .started, .connected, .subscribed, .snapshot, .resync, .disconnected, .stale, .maintenance, .stopped:
            .info
        }
    }

    /// The names that can open a gap (`started` only after earlier events), for ledger readers.
    public static var gapOpeningNames: Set<String> {
        Set(allCases.filter { $0.gapRole.canOpenGap }.map(\.rawValue))
    }
}

extension LedgerGapRole {
    /// Whether a row with this role opens a gap, given whether earlier rows precede it in the ledger.
    public func opensGap(afterEarlierEvents: Bool) -> Bool {
        switch self {
        case .opens: true
        case .opensAfterEarlierEvents: afterEarlierEvents
        case .closes, .neutral: false
        }
    }

    /// Whether a row with this role can open a gap at all.
    public var canOpenGap: Bool { opensGap(afterEarlierEvents: true) }
}

/// What one ledger event does to the order book's gaps.
public enum LedgerGapRole: Sendable, Hashable {
    /// Opens a gap (or continues the open one): no trustworthy book rows from here.
    case opens
    /// Opens a gap only when earlier events precede it in the ledger: `started` after a run that
    /// did not end with `stopped` (killed, crashed, power cut). The first `started` loses nothing,
    /// and after a clean `stopped` the gap is already open.
    case opensAfterEarlierEvents
    /// Ends the open gap: the book is verified again.
    case closes
    /// Neither: the book's trust does not change.
    case neutral
}
