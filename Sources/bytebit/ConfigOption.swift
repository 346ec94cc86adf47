import ArgumentParser

/// The `--config PATH` option every subcommand that reads the config shares.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file; relative paths in it are relative to its folder.",
                                            valueName: "path"))
    var config: String = "config.yaml"
}
