import Foundation

/// The feed's shared secret: read from `token_file`, or created there (random, 32 bytes as hex,
/// mode 0600) when the file is missing. Never logged, never in a status file.
public struct LiveToken: Sendable {
    private let secret: [UInt8]

    public init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// The shortest token accepted from a file someone wrote by hand.
    public static let minimumLength = 16

    /// Reads the token file, or creates it when it does not exist.
    public static func loadOrCreate(path: String) throws(LiveFeedError) -> (token: LiveToken, created: Bool) {
        if FileManager.default.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .tokenFile(path: path, reason: "cannot read it")
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count >= minimumLength, !trimmed.contains(where: \.isWhitespace) else {
                throw .tokenFile(path: path, reason: "expected one token of at least \(minimumLength) characters, no spaces")
            }
            return (LiveToken(secret: trimmed), false)
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = bytes.map { String(format: "%02x", $0) }.joined()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .tokenFile(path: path, reason: "cannot create it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let line = Array((text + "\n").utf8)
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else { throw .tokenFile(path: path, reason: "cannot write it") }
        fchmod(fd, 0o600)  // whatever the umask
        return (LiveToken(secret: text), true)
    }

    /// Whether a request carries the token, as `?token=` or `Authorization: Bearer`.
    /// Compares in constant time, so the answer's timing tells nothing about the secret.
    public func accepts(tokenArgument: String, authorization: String) -> Bool {
        var presented = tokenArgument
        if presented.isEmpty {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                presented = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return Self.constantTimeEqual(Array(presented.utf8), secret)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard !a.isEmpty, a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
