import CPostgres
import Foundation

/// One libpq connection: statements, text results and `COPY ... FROM STDIN`. Not thread-safe; the
/// loader uses it from one thread.
public final class PostgresConnection {
    private let connection: OpaquePointer

    /// Connects with a libpq connection URI (`postgresql://user@host:port/db?sslmode=...`); the password
    /// may come from the URI, `PGPASSWORD` or `~/.pgpass`, as libpq decides.
    public init(url: String) throws(PostgresError) {
        guard let made = PQconnectdb(url) else { throw .connection(message: "out of memory") }
        guard PQstatus(made) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(made))
            PQfinish(made)
            throw .connection(message: message.isEmpty ? "connection failed" : message)
        }
        connection = made
        // Quiet NOTICEs ("relation already exists, skipping") instead of libpq printing them to stderr.
        PQsetNoticeProcessor(made, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    /// Whether the connection is still usable (a server restart breaks it).
    public var isHealthy: Bool { PQstatus(connection) == CONNECTION_OK }

    /// Runs one or more statements without parameters; returns the rows of the last one as text
    /// (nil for SQL NULL).
    @discardableResult
    public func execute(_ sql: String) throws(PostgresError) -> [[String?]] {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result)
        return Self.rows(of: result)
    }

    /// Runs one statement with text parameters ($1, $2, ...); returns its rows as text.
    @discardableResult
    public func execute(_ sql: String, parameters: [String?]) throws(PostgresError) -> [[String?]] {
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        let result = copies.withUnsafeBufferPointer { values in
            values.withMemoryRebound(to: UnsafePointer<CChar>?.self) { pointers in
                PQexecParams(connection, sql, Int32(parameters.count), nil, pointers.baseAddress, nil, nil, 0)
            }
        }
        defer { PQclear(result) }
        try check(result)
        return Self.rows(of: result)
    }

    /// `COPY <target> FROM STDIN` with `data` in COPY text format (one row per line), or with `binary`
    /// binary COPY tuples (the header and trailer are added here, so any run of whole tuples may be
    /// sent). Returns the number of rows the server stored.
    @discardableResult
    public func copy(into target: String, data: ArraySlice<UInt8>, binary: Bool = false) throws(PostgresError) -> Int {
        try copy(into: target, pieces: [data], binary: binary)
    }

    /// One COPY of `pieces` sent one after the other (whole rows in each).
    @discardableResult
    public func copy(into target: String, pieces: [ArraySlice<UInt8>], binary: Bool = false) throws(PostgresError) -> Int {
        let start = PQexec(connection, "COPY \(target) FROM STDIN" + (binary ? " (FORMAT binary)" : ""))
        let startStatus = PQresultStatus(start)
        if startStatus != PGRES_COPY_IN {
            defer { PQclear(start) }
            try check(start)
            throw .statement(sqlState: "", message: "COPY did not start", copyLine: nil)
        }
        PQclear(start)
        var sendFailed = false
        // Sent in 1 MB pieces: libpq buffers each call whole.
        let send = { (data: ArraySlice<UInt8>) in
            data.withUnsafeBytes { bytes in
                guard let base = bytes.bindMemory(to: CChar.self).baseAddress else { return }
                var offset = 0
                while offset < bytes.count, !sendFailed {
                    let count = min(1 << 20, bytes.count - offset)
                    if PQputCopyData(self.connection, base + offset, Int32(count)) != 1 { sendFailed = true }
                    offset += count
                }
            }
        }
        if binary { send(CopyBinary.header[...]) }
        for piece in pieces { send(piece) }
        if binary { send(CopyBinary.trailer[...]) }
        if sendFailed || PQputCopyEnd(connection, nil) != 1 {
            throw .connection(message: Self.trimmed(PQerrorMessage(connection)))
        }
        var stored = 0
        var failure: PostgresError?
        while let result = PQgetResult(connection) {
            if failure == nil {
                do throws(PostgresError) {
                    try check(result)
                    stored += Int(String(cString: PQcmdTuples(result))) ?? 0
                } catch {
                    failure = error
                }
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return stored
    }

    /// Throws the result's error, if it has one.
    private func check(_ result: OpaquePointer?) throws(PostgresError) {
        let status = PQresultStatus(result)
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN { return }
        guard let result, PQstatus(connection) == CONNECTION_OK else {
            throw .connection(message: Self.trimmed(PQerrorMessage(connection)))
        }
        let field = { (code: Int32) in PQresultErrorField(result, code).map { String(cString: $0) } }
        let state = field(Int32(UInt8(ascii: "C"))) ?? ""
        let message = field(Int32(UInt8(ascii: "M"))) ?? Self.trimmed(PQresultErrorMessage(result))
        let context = field(Int32(UInt8(ascii: "W"))) ?? ""
        // Class 08: connection exception; 57P: the server is shutting down or restarting.
        if state.hasPrefix("08") || state.hasPrefix("57P") { throw .connection(message: message) }
        throw .statement(sqlState: state, message: message, copyLine: Self.copyLine(inContext: context))
    }

    /// The line number in a COPY error's context, `COPY kraken_trades, line 17: "..."`.
    static func copyLine(inContext context: String) -> Int? {
        guard context.hasPrefix("COPY "), let range = context.range(of: ", line ") else { return nil }
        let digits = context[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    private static func rows(of result: OpaquePointer?) -> [[String?]] {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        guard rowCount > 0, columnCount > 0 else { return [] }
        return (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        var text = String(cString: message)
        while text.last == "\n" || text.last == " " { text.removeLast() }
        // libpq's multi-line messages ("connection to server ... failed: ...\n\tIs the server running ...").
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "; ")
    }
}
