import ArgumentParser

/// `bytebit view`: show and search what was recorded for one pair and day (SPEC §6).
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Show and search the recorded order book or trades of one pair and day."
    )

    /// The output formats of `--format`.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    /// The trade sides of `--side`.
    enum TradeSide: String, ExpressibleByArgument, CaseIterable {
        case buy, sell
    }

    @OptionGroup var configOption: ConfigOption

    @Argument(help: "The pair, e.g. BTC-USD.")
    var pair: String

    @Option(help: ArgumentHelp("The UTC day: YYYY-MM-DD, today or yesterday.", valueName: "date"))
    var date: String = "today"

    @Flag(help: "Show trades instead of the order book.")
    var trades = false

    @Option(help: ArgumentHelp("Start of the time window (UTC), e.g. 13:00.", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("End of the time window (UTC), e.g. 13:05.", valueName: "time"))
    var to: String?

    @Option(help: "Show only the first N rows.")
    var limit: Int?

    @Option(help: "Show only the last N rows.")
    var tail: Int?

    @Option(help: "Order book levels per side to show (default: best bid and ask only).")
    var levels: Int?

    @Option(help: "Only trades on this taker side: buy or sell.")
    var side: TradeSide?

    @Option(
        name: .customLong("min-qty"), help: ArgumentHelp("Only trades of at least this quantity.", valueName: "qty"))
    var minimumQuantity: String?

    @Flag(help: "Summarise the day: rows, first/last time, gaps, trades, volume, VWAP, high/low, spread.")
    var summary = false

    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        try exitNotImplemented("view")
    }
}
