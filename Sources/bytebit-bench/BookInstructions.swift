import Foundation

/// `bytebit-bench book --instructions`: the book pipeline's instructions per message under
/// valgrind's callgrind, per depth. Instruction counts, unlike CPU time, do not move with the load
/// of a shared machine. This benchmark runs itself (a copy without debug info, which valgrind 3.19
/// cannot read) under callgrind for one round per depth, collecting only inside the replay of the
/// updates (`--toggle-collect`: not the stream's generation) and in the writer thread's cycles.
struct BookInstructions {
    var updates: Int
    var depths: [Int]
    var writesRows: Bool

    struct Failure: Error, CustomStringConvertible { let description: String }

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-bench-book-instructions-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bench = try Callgrind.strippedCopy(of: Callgrind.builtBinary("bytebit-bench"), in: folder)
        let path = writesRows ? "decode → book → checksum → CSV row → buffered write" : "decode → book → checksum"
        print("book pipeline instructions (callgrind; \(path)), \(updates) update frames per depth")
        for depth in depths {
            let outFile = folder.appendingPathComponent("callgrind.\(depth).out").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/valgrind")
            process.arguments = [
                "--tool=callgrind", "--dump-instr=no", "--callgrind-out-file=\(outFile)",
                // The replay (every frame, the row and the hand-over) and the writer thread's cycles
                // (the files' writes).
                "--toggle-collect=$s13bytebit_bench6replay*",
                "--toggle-collect=$s11BytebitCore12RecordWriterC10writeCycleyyF",
                bench, "book", "--updates", "\(updates)", "--rounds", "1", "--depths", "\(depth)",
            ] + (writesRows ? [] : ["--without-writing"])
            let output = folder.appendingPathComponent("book.\(depth).out")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            process.waitUntilExit()
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            guard process.terminationStatus == 0, text.contains("verified \(updates + 1)/\(updates + 1)") else {
                throw Failure(description: "the run under callgrind failed or did not verify every message:\n\(text)")
            }
            let instructions = try totals(outFile)
            print(String(
                format: "depth %4d: %.0f instructions per message (%d in the replay and the writer's cycles)",
                depth, Double(instructions) / Double(updates + 1), instructions))
        }
    }

    private func totals(_ file: String) throws -> Int {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        guard let value = Callgrind.totals(inDump: text) else {
            throw Failure(description: "callgrind wrote no totals in \(file)")
        }
        return value
    }
}
