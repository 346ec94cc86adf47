import ArgumentParser
import BytebitCore
import Foundation

/// Ends a subcommand that is declared but not built yet: a message on stderr and exit 1.
func exitNotImplemented(_ commandName: String) throws -> Never {
    FileHandle.standardError.write(Data("bytebit \(commandName): not implemented yet\n".utf8))
    throw ExitCode(ExitStatus.failure.rawValue)
}
