import Logging

extension Loader {
    /// What a committed batch held.
    struct Committed {
        var loaded: Int
        var rejected: Int
    }

    /// One transaction: lock the key's position and check no other loader moved it, COPY the rows
    /// (a row the database refuses is taken out, recorded in `bytebit_load_rejects` with its file and
    /// line, and the rows after it are loaded), record the rejects, move the position, commit.
    /// Nil (rolled back) when the position in the table is not the one this batch starts from.
    func commit(
        _ copy: CopyBatch, key: LoadKey, expectedLines: Int64, position: LoadPosition
    ) throws(PostgresError) -> Committed? {
        try connection.execute("BEGIN")
        do throws(PostgresError) {
            guard try PositionStore.lockedLines(connection, key: key) == expectedLines else {
                try connection.execute("ROLLBACK")
                logger.notice("another loader moved \(key); reading its position")
                return nil
            }
            var rejects = copy.rejects
            var start = 0
            let target = CopyRows.target(of: key.stream)
            while start < copy.rowCount {
                try connection.execute("SAVEPOINT rows")
                do throws(PostgresError) {
                    try connection.copy(into: target, data: copy.text(rows: start..<copy.rowCount))
                    start = copy.rowCount
                } catch {
                    guard error.isRowError, case let .statement(_, _, line?) = error,
                          line >= 1, start + line - 1 < copy.rowCount
                    else { throw error }
                    try connection.execute("ROLLBACK TO SAVEPOINT rows")
                    let bad = start + line - 1
                    if bad > start { try connection.copy(into: target, data: copy.text(rows: start..<bad)) }
                    rejects.append(CopyBatch.Reject(
                        origin: copy.origins[bad], reason: error.description, text: copy.batch.text(copy.lines[bad])))
                    start = bad + 1
                }
            }
            for reject in rejects {
                logger.warning("row rejected", metadata: [
                    "file": "\(reject.origin.path)", "line": "\(reject.origin.line)", "error": "\(reject.reason)",
                ])
                try connection.execute("""
                    INSERT INTO \(LoaderSchema.rejectsTable) (pair, stream, layout, day, file, line, error, row_text)
                    VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8) ON CONFLICT DO NOTHING
                    """, parameters: PositionStore.keyParameters(key) + [
                        reject.origin.path, "\(reject.origin.line)", reject.reason, reject.text,
                    ])
            }
            try PositionStore.save(connection, key: key, position: position)
            try connection.execute("COMMIT")
            return Committed(loaded: copy.rowCount + copy.rejects.count - rejects.count, rejected: rejects.count)
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
