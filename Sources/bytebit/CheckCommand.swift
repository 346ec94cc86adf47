import ArgumentParser
import BytebitCore
import Foundation

/// `bytebit check`: validate a config file, print the effective settings and make sure the folders
/// it writes into are writable.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a config file, print the effective per-market settings and check that data_dir and "
            + "log_dir are writable (creating them if needed).",
        discussion: "Exits 0 when the file is valid and both folders are writable, 78 with the error on stderr when "
            + "the file is invalid, 73 when a folder cannot be created or written, 64 on a usage error."
    )

    @OptionGroup var configOption: ConfigOption

    func run() throws {
        let config = try configOption.load()
        print(config.effectiveSettingsReport)
        var isWritable = true
        for (key, path) in [("data_dir", config.dataDirectory), ("log_dir", config.logDirectory)] {
            if let problem = WritableFolder.problem(at: path) {
                FileHandle.standardError.write(Data("\(key) \(path) is not writable: \(problem)\n".utf8))
                isWritable = false
            }
        }
        if !isWritable { throw ExitCode(ExitStatus.cantCreate.rawValue) }
    }
}
