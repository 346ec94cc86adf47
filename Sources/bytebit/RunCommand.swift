import ArgumentParser

/// `bytebit run`: supervise one collector per market (SPEC §2, §5).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Supervise one collector per market until SIGTERM/SIGINT, or for --duration.",
        discussion: "SIGHUP reloads the config. Exits 0 on a clean stop, 78 on an invalid config."
    )

    @OptionGroup var configOption: ConfigOption

    @Option(help: ArgumentHelp("Stop cleanly after this long, e.g. 90s, 30m, 2h.", valueName: "duration"))
    var duration: String?

    func run() async throws {
        try exitNotImplemented("run")
    }
}
