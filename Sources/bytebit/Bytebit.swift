import ArgumentParser

/// The `bytebit` command: the supervisor and the tools around the recorded data.
@main
struct Bytebit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bytebit",
        abstract: "Record Kraken spot order books and trades into daily CSV files.",
        subcommands: [RunCommand.self, ViewCommand.self, ListCommand.self, StatusCommand.self, CheckCommand.self]
    )
}
