import ArgumentParser

/// `bytebit status`: the live state of a running `bytebit run`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each market of a running `bytebit run`: state, pid, uptime, restarts, last message age, "
            + "rows, checksum failures, reconnects."
    )

    @OptionGroup var configOption: ConfigOption

    func run() throws {
        try exitNotImplemented("status")
    }
}
