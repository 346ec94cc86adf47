import ArgumentParser
import BytebitCore
import Foundation

/// The `--config PATH` option every subcommand that reads the config shares.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file; relative paths in it are relative to its folder.",
                                            valueName: "path"))
    var config: String = "config.yaml"
}

extension ConfigOption {
    /// The validated config; an invalid or missing file prints the exact error and exits 78.
    func load() throws -> BytebitConfig {
        try loadConfig(at: config)
    }
}

/// Loads `path`; an invalid or missing file prints the exact error on stderr and exits 78 (SPEC §5).
func loadConfig(at path: String) throws -> BytebitConfig {
    do {
        return try ConfigLoader.load(path: path)
    } catch {
        FileHandle.standardError.write(Data("\(error.description)\n".utf8))
        throw ExitCode(error.exitStatus.rawValue)
    }
}
