import ArgumentParser
import BytebitCore
import Foundation

/// The `bytebit` command: the supervisor and the tools around the recorded data.
@main
struct Bytebit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bytebit",
        abstract: "Record Kraken spot order books and trades into daily CSV files.",
        version: BytebitVersion.current,
        subcommands: [
            RunCommand.self, ViewCommand.self, ListCommand.self, StatusCommand.self, CheckCommand.self, LoadCommand.self,
            KlinesCommand.self,
        ]
    )

    /// ArgumentParser's own `main`, except that a usage error found while a subcommand runs (not
    /// while parsing, which ArgumentParser already reports well) prints that subcommand's usage
    /// rather than the top-level one.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            var running = command
            if var asyncCommand = running as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try running.run()
            }
        } catch let error as ValidationError {
            let usage = usageString(for: type(of: command))
            let name = type(of: command).configuration.commandName ?? "bytebit"
            let help = type(of: command) == Bytebit.self ? "bytebit --help" : "bytebit \(name) --help"
            let message = "Error: \(error.message)\nUsage: \(usage)\n  See '\(help)' for more information.\n"
            FileHandle.standardError.write(Data(message.utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
