import ArgumentParser

/// The `bytebit` root command (minimal in this branch: `view` and `list`; the lead merges the roots).
struct Bytebit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bytebit",
        abstract: "Record Kraken spot market data and look at what was recorded.",
        subcommands: [ViewCommand.self, ListCommand.self]
    )
}

Bytebit.main()
