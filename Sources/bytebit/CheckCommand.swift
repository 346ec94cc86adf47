import ArgumentParser
import BytebitCore
import Foundation

/// `bytebit check`: validate a config file and print the effective settings.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a config file and print the effective per-market settings.",
        discussion: "Exits 0 when the file is valid, 78 with the error on stderr when it is not, 64 on a usage error."
    )

    @OptionGroup var configOption: ConfigOption

    func run() throws {
        let config = try configOption.load()
        print(config.effectiveSettingsReport)
    }
}
