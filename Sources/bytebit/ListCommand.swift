import ArgumentParser

/// `bytebit list`: which pairs and days were recorded.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the recorded pairs and days with rows, size, first/last time and gaps."
    )

    @OptionGroup var configOption: ConfigOption

    func run() throws {
        try exitNotImplemented("list")
    }
}
