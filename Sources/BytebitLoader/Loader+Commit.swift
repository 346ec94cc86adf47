import BytebitCore
import Logging

extension Loader {
    /// What a committed batch held.
    struct Committed {
        var loaded: Int
        var rejected: Int
    }

    /// One key's batch in a transaction: where its rows start (the position it must find) and the
    /// position it moves the key to.
    struct Move {
        var key: LoadKey
        var expectedLines: Int64
        var position: LoadPosition
    }

    /// One transaction for the batches of one or more keys (`batches[i]` moves `moves[i]`): lock the
    /// keys' positions and check that no other loader moved them, COPY each stream's rows (a row the
    /// database refuses is taken out, recorded in `bytebit_load_rejects` with its file and line, and
    /// the rows after it are loaded), record the rejects, move the positions, commit. All of it or
    /// nothing: nil (rolled back) when a position in the table is not the one its batch starts from.
    func commit(_ batches: [CopyBatch], moves: [Move]) throws(PostgresError) -> [LoadKey: Committed]? {
        let connection = self.connection
        try connection.execute("BEGIN")
        do throws(PostgresError) {
            let found = try PositionStore.lockedLines(connection, keys: moves.map(\.key))
            guard moves.allSatisfy({ found[$0.key] == $0.expectedLines }) else {
                try connection.execute("ROLLBACK")
                let moved = moves.filter { found[$0.key] != $0.expectedLines }.map(\.key.description)
                logger.notice("another loader moved \(moved.joined(separator: ", ")); reading its position")
                return nil
            }
            var committed: [LoadKey: Committed] = [:]
            var rejects: [(key: LoadKey, reject: CopyBatch.Reject)] = []
            for batch in batches {
                committed[batch.key] = Committed(loaded: batch.rowCount, rejected: batch.rejects.count)
                rejects += batch.rejects.map { (batch.key, $0) }
            }
            // One COPY per table, whatever the number of keys.
            var streams: [RecordedStream] = []
            for batch in batches where !streams.contains(batch.key.stream) { streams.append(batch.key.stream) }
            for stream in streams {
                let parts = CopyParts(batches.filter { $0.key.stream == stream && $0.rowCount > 0 })
                for (part, reject) in try copy(parts, stream: stream, on: connection) {
                    let key = parts.batches[part].key
                    committed[key]?.loaded -= 1
                    committed[key]?.rejected += 1
                    rejects.append((key, reject))
                }
            }
            try record(rejects, on: connection)
            try PositionStore.save(connection, moves: moves.map { ($0.key, $0.position) })
            try connection.execute("COMMIT")
            return committed
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// COPYs the rows of `parts` (one stream) in the open transaction; a row the database refuses is
    /// rolled back to a savepoint, taken out by the line number in the error, and the rest sent again.
    /// Returns the refused rows (the part each came from).
    private func copy(
        _ parts: CopyParts, stream: RecordedStream, on connection: PostgresConnection
    ) throws(PostgresError) -> [(Int, CopyBatch.Reject)] {
        let target = CopyRows.target(of: stream)
        let binary = CopyRows.isBinary(stream)
        var refused: [(Int, CopyBatch.Reject)] = []
        var start = 0
        while start < parts.rowCount {
            try connection.execute("SAVEPOINT rows")
            do throws(PostgresError) {
                try connection.copy(into: target, pieces: parts.pieces(rows: start..<parts.rowCount), binary: binary)
                start = parts.rowCount
            } catch {
                guard error.isRowError, case let .statement(_, _, line?) = error,
                      line >= 1, start + line - 1 < parts.rowCount
                else { throw error }
                try connection.execute("ROLLBACK TO SAVEPOINT rows")
                let bad = start + line - 1
                if bad > start { try connection.copy(into: target, pieces: parts.pieces(rows: start..<bad), binary: binary) }
                let (part, row) = parts.locate(bad)
                let batch = parts.batches[part]
                refused.append((part, CopyBatch.Reject(
                    origin: batch.origins[row], reason: error.description, text: batch.batch.text(batch.lines[row]))))
                start = bad + 1
            }
        }
        return refused
    }
}

extension Loader {
    /// One batch of a back-fill, whose transactions may be in flight on several connections at once:
    /// COPY the rows (rejects as above), wait until the batch before has ended (`after`), then move the
    /// position only from where that batch left it — `UPDATE ... WHERE lines = <its end>` moves
    /// nothing when it rolled back (or another loader moved the key): then this one rolls back too
    /// (nil), and the rows are read again from the committed position. So batches commit in order, and
    /// every row once, whatever fails or crashes between them (the check is the database's, so it
    /// holds even if this process dies at any point).
    func commitChained(
        _ copy: CopyBatch, move: Move, on connection: PostgresConnection, after: () -> Void
    ) throws(PostgresError) -> Committed? {
        try connection.execute("BEGIN")
        do throws(PostgresError) {
            var committed = Committed(loaded: copy.rowCount, rejected: copy.rejects.count)
            var rejects = copy.rejects.map { (key: copy.key, reject: $0) }
            if copy.rowCount > 0 {
                for (_, reject) in try self.copy(CopyParts([copy]), stream: copy.key.stream, on: connection) {
                    committed.loaded -= 1
                    committed.rejected += 1
                    rejects.append((copy.key, reject))
                }
            }
            try record(rejects, on: connection)
            after()
            guard try PositionStore.advance(connection, key: move.key, from: move.expectedLines, to: move.position) else {
                try connection.execute("ROLLBACK")
                logger.notice("\(move.key) was not where this batch starts (the batch before failed, or another loader moved it); reading its position")
                return nil
            }
            try connection.execute("COMMIT")
            return committed
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Logs and stores rejected rows (in the open transaction).
    private func record(_ rejects: [(key: LoadKey, reject: CopyBatch.Reject)], on connection: PostgresConnection) throws(PostgresError) {
        for (key, reject) in rejects {
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
    }
}

/// Batches of one stream sent as one COPY, rows numbered through all of them in order.
struct CopyParts {
    let batches: [CopyBatch]
    /// Rows before each batch.
    private let firstRows: [Int]
    let rowCount: Int

    init(_ batches: [CopyBatch]) {
        self.batches = batches
        var firstRows: [Int] = []
        var total = 0
        for batch in batches {
            firstRows.append(total)
            total += batch.rowCount
        }
        self.firstRows = firstRows
        rowCount = total
    }

    /// The batch and its row of row `index`.
    func locate(_ index: Int) -> (part: Int, row: Int) {
        var part = 0
        while part + 1 < batches.count, firstRows[part + 1] <= index { part += 1 }
        return (part, index - firstRows[part])
    }

    /// The COPY data of rows `range`, one slice per batch it touches.
    func pieces(rows range: Range<Int>) -> [ArraySlice<UInt8>] {
        var slices: [ArraySlice<UInt8>] = []
        for (part, batch) in batches.enumerated() {
            let first = firstRows[part]
            let lower = max(range.lowerBound, first) - first
            let upper = min(range.upperBound, first + batch.rowCount) - first
            if lower < upper { slices.append(batch.text(rows: lower..<upper)) }
        }
        return slices
    }
}
