import Foundation

/// A throwaway PKI made with the `openssl` CLI: a CA, certificates signed by it, and an unrelated CA.
struct TestCertificates {
    let directory: URL
    /// The CA the client is told to trust.
    var caFile: String { path("ca.pem") }
    /// Server certificate for IP 127.0.0.1, signed by the trusted CA.
    var localhost: (certificateFile: String, privateKeyFile: String) { (path("local.pem"), path("local.key")) }
    /// Server certificate valid only for other.example, signed by the trusted CA.
    var otherHost: (certificateFile: String, privateKeyFile: String) { (path("other.pem"), path("other.key")) }
    /// Server certificate for 127.0.0.1 signed by a CA the client does not know.
    var unknownIssuer: (certificateFile: String, privateKeyFile: String) {
        (path("stranger.pem"), path("stranger.key"))
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("bytebit-tls-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try makeCA("ca")
        try makeCA("other-ca")
        try makeLeaf("local", san: "IP:127.0.0.1", ca: "ca")
        try makeLeaf("other", san: "DNS:other.example", ca: "ca")
        try makeLeaf("stranger", san: "IP:127.0.0.1", ca: "other-ca")
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func makeCA(_ name: String) throws {
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "2",
            "-subj", "/CN=bytebit test \(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    private func makeLeaf(_ name: String, san: String, ca: String) throws {
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=bytebit test \(name)",
        ])
        let extensions = path("\(name).ext")
        try "subjectAltName=\(san)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(ca).pem"), "-CAkey", path("\(ca).key"),
            "-CAcreateserial", "-out", path("\(name).pem"), "-days", "2", "-extfile", extensions,
        ])
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "openssl \(arguments.joined(separator: " ")) failed: "
                    + String(decoding: output, as: UTF8.self))
        }
    }
}
