/// The output sections (SPEC §3.2): `postgres`, `redis`, `live`.
extension ConfigMapper {
    static let postgresKeys = ["url"]
    static let redisKeys = ["url"]
    static let liveKeys = ["listen", "token_file", "tls_cert", "tls_key"]
    static let postgresSchemes = ["postgresql", "postgres"]
    /// No `rediss://`: the hiredis bytebit links (Debian's libhiredis 0.14) is built without TLS.
    static let redisSchemes = ["redis"]

    /// `postgres:`, else `DATABASE_URL`; nil when neither is there.
    func postgres(_ entry: YAMLMapEntry?) throws(ConfigError) -> PostgresOutput? {
        let url = try serviceURL(entry, section: "postgres", allowed: Self.postgresKeys,
                                 environmentName: "DATABASE_URL", schemes: Self.postgresSchemes,
                                 example: "postgresql://bytebit@localhost:5432/market")
        return url.map(PostgresOutput.init)
    }

    /// `redis:`, else `REDIS_URL`; nil when neither is there.
    func redis(_ entry: YAMLMapEntry?) throws(ConfigError) -> RedisOutput? {
        let url = try serviceURL(entry, section: "redis", allowed: Self.redisKeys, environmentName: "REDIS_URL",
                                 schemes: Self.redisSchemes,
                                 example: "redis://localhost:6379/0 (no rediss://: Debian's hiredis has no TLS; "
                                     + "use a trusted network or a TLS tunnel)")
        return url.map(RedisOutput.init)
    }

    /// `live:`; nil without it.
    func live(_ entry: YAMLMapEntry?) throws(ConfigError) -> LiveOutput? {
        guard let entry else { return nil }
        let fields = try reader.entries(of: entry.value, key: "live", allowed: Self.liveKeys)
        guard let listenEntry = fields["listen"] else {
            throw .missingKey(file: reader.fileName, at: entry.key.mark, key: "live.listen",
                              expected: "HOST:PORT to serve the feed on, e.g. 127.0.0.1:8800")
        }
        let (host, port) = try listenAddress(listenEntry.value)
        let tokenFile = try fields["token_file"].map { tokenEntry throws(ConfigError) in
            let written = try reader.text(tokenEntry.value, key: "live.token_file", expected: "a file path")
            return try resolved(written, node: tokenEntry.value, key: "live.token_file")
        } ?? PathResolver.absolute("live.token", relativeTo: directory)
        let cert = try readableFile(fields["tls_cert"], key: "live.tls_cert", expected: "a PEM certificate file")
        let key = try readableFile(fields["tls_key"], key: "live.tls_key", expected: "a PEM private key file")
        if (cert == nil) != (key == nil), let given = fields["tls_cert"] ?? fields["tls_key"] {
            throw .invalidValue(file: reader.fileName, at: given.key.mark, key: "live", found: "only one of tls_cert, tls_key",
                                expected: "both tls_cert and tls_key (wss://) or neither (ws://)")
        }
        return LiveOutput(host: host, port: port, tokenFile: tokenFile, tlsCert: cert, tlsKey: key)
    }

    // MARK: - Pieces

    private func serviceURL(_ entry: YAMLMapEntry?, section: String, allowed: [String], environmentName: String,
                            schemes: [String], example: String) throws(ConfigError) -> ServiceURL? {
        let expected = "a \(schemes.map { "\($0)://" }.joined(separator: " or ")) URL, e.g. \(example)"
        if let entry {
            let fields = try reader.entries(of: entry.value, key: section, allowed: allowed)
            if let urlEntry = fields["url"] {
                let text = try reader.text(urlEntry.value, key: "\(section).url", expected: expected)
                guard let url = ServiceURL(text), schemes.contains(url.scheme) else {
                    // Never echo what was written: it may hold the password.
                    throw .invalidValue(file: reader.fileName, at: urlEntry.value.mark, key: "\(section).url",
                                        found: Self.shown(text), expected: expected)
                }
                return url
            }
        }
        guard let text = environment[environmentName], !text.isEmpty else {
            guard let entry else { return nil }
            throw .missingKey(file: reader.fileName, at: entry.key.mark, key: "\(section).url",
                              expected: "\(expected) (or \(environmentName) in the environment)")
        }
        guard let url = ServiceURL(text), schemes.contains(url.scheme) else {
            throw .invalidValue(file: reader.fileName, at: entry?.key.mark ?? SourceMark(line: 1, column: 1),
                                key: "\(environmentName) (environment)", found: Self.shown(text), expected: expected)
        }
        return url
    }

    /// A written URL as an error message may show it: redacted when it parses, else only its scheme.
    private static func shown(_ text: String) -> String {
        if let url = ServiceURL(text) { return url.redacted }
        if let scheme = text.range(of: "://") { return "\(text[..<scheme.lowerBound]):// (not a valid URL)" }
        return "text that is not a URL"
    }

    private func listenAddress(_ node: YAMLNode) throws(ConfigError) -> (String, Int) {
        let expected = "HOST:PORT, e.g. 127.0.0.1:8800 or [::1]:8800 (port 0: any free port)"
        let written = try reader.text(node, key: "live.listen", expected: expected)
        guard let colon = written.lastIndex(of: ":"), let port = Int(written[written.index(after: colon)...]),
            (0...65_535).contains(port)
        else {
            throw .invalidValue(file: reader.fileName, at: node.mark, key: "live.listen", found: node.asWritten,
                                expected: expected)
        }
        var host = String(written[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(" ") else {
            throw .invalidValue(file: reader.fileName, at: node.mark, key: "live.listen", found: node.asWritten,
                                expected: expected)
        }
        return (host, port)
    }

    private func readableFile(_ entry: YAMLMapEntry?, key: String, expected: String) throws(ConfigError) -> String? {
        guard let entry else { return nil }
        let written = try reader.text(entry.value, key: key, expected: expected)
        let path = try resolved(written, node: entry.value, key: key)
        if let problem = PathResolver.problemReadingFile(at: path) {
            throw .invalidValue(file: reader.fileName, at: entry.value.mark, key: key,
                                found: "\(entry.value.asWritten) (\(path): \(problem))", expected: "a readable file: \(expected)")
        }
        return path
    }
}
