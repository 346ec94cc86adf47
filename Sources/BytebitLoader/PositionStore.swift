/// The `bytebit_load_positions` table: read at start, moved in the same transaction as the rows.
enum PositionStore {
    /// Every position in the table.
    static func readAll(_ connection: PostgresConnection) throws(PostgresError) -> [LoadKey: LoadPosition] {
        let rows = try connection.execute("""
            SELECT pair, stream, layout, (day - DATE '1970-01-01')::bigint, lines, bytes, previous_received_us
            FROM \(LoaderSchema.positionsTable)
            """)
        var positions: [LoadKey: LoadPosition] = [:]
        for row in rows {
            guard row.count == 7, let pair = row[0], let streamName = row[1], let layout = row[2],
                  let stream = RecordedStream.allCases.first(where: { LoadKey.streamName($0) == streamName }),
                  let day = row[3].flatMap({ Int64($0) }), let lines = row[4].flatMap({ Int64($0) }),
                  let bytes = row[5].flatMap({ Int64($0) })
            else { continue }
            positions[LoadKey(pair: pair, stream: stream, layout: layout, day: day)] = LoadPosition(
                lines: lines, bytes: bytes, previousReceivedAt: row[6].flatMap { Int64($0) })
        }
        return positions
    }

    static func keyParameters(_ key: LoadKey) -> [String?] {
        [key.pair, LoadKey.streamName(key.stream), key.layout, key.date]
    }

    /// Inside the batch's transaction: locks the keys' rows (made at 0 when new) and returns their
    /// lines, so a second loader over the same data (a `bytebit load` beside the running loader) is
    /// noticed. Rows are locked in key order, the same in every loader, so two never wait on each other.
    static func lockedLines(_ connection: PostgresConnection, keys: [LoadKey]) throws(PostgresError) -> [LoadKey: Int64] {
        let sorted = keys.sorted()
        let parameters = sorted.flatMap(keyParameters)
        let tuples = valueTuples(count: sorted.count, width: 4, casts: [3: "::date"])
        try connection.execute("""
            INSERT INTO \(LoaderSchema.positionsTable) (pair, stream, layout, day, lines, bytes)
            SELECT pair, stream, layout, day, 0, 0 FROM (VALUES \(tuples)) AS k (pair, stream, layout, day)
            ORDER BY pair, stream, layout, day ON CONFLICT DO NOTHING
            """, parameters: parameters)
        let rows = try connection.execute("""
            SELECT p.pair, p.stream, p.layout, (p.day - DATE '1970-01-01')::bigint, p.lines
            FROM \(LoaderSchema.positionsTable) p JOIN (VALUES \(tuples)) AS k (pair, stream, layout, day)
              ON p.pair = k.pair AND p.stream = k.stream AND p.layout = k.layout AND p.day = k.day
            ORDER BY p.pair, p.stream, p.layout, p.day FOR UPDATE OF p
            """, parameters: parameters)
        var lines: [LoadKey: Int64] = [:]
        for row in rows {
            guard row.count == 5, let pair = row[0], let streamName = row[1], let layout = row[2],
                  let day = row[3].flatMap({ Int64($0) }), let count = row[4].flatMap({ Int64($0) })
            else { continue }
            for key in sorted where key.pair == pair && LoadKey.streamName(key.stream) == streamName
                && key.layout == layout && key.day == day {
                lines[key] = count
            }
        }
        return lines
    }

    /// Moves the keys' positions (their rows locked by `lockedLines`).
    static func save(_ connection: PostgresConnection, moves: [(key: LoadKey, position: LoadPosition)]) throws(PostgresError) {
        guard !moves.isEmpty else { return }
        let parameters = moves.flatMap { move in
            keyParameters(move.key) + [
                "\(move.position.lines)", "\(move.position.bytes)", move.position.previousReceivedAt.map { "\($0)" },
            ]
        }
        let tuples = valueTuples(count: moves.count, width: 7, casts: [3: "::date", 4: "::bigint", 5: "::bigint", 6: "::bigint"])
        try connection.execute("""
            UPDATE \(LoaderSchema.positionsTable) p
            SET lines = v.lines, bytes = v.bytes, previous_received_us = v.previous, updated_at = now()
            FROM (VALUES \(tuples)) AS v (pair, stream, layout, day, lines, bytes, previous)
            WHERE p.pair = v.pair AND p.stream = v.stream AND p.layout = v.layout AND p.day = v.day
            """, parameters: parameters)
    }

    /// Makes the key's row (at 0) if it has none, outside any batch's transaction, so that chained
    /// batches (`advance`) find a row to wait on.
    static func ensure(_ connection: PostgresConnection, key: LoadKey) throws(PostgresError) {
        try connection.execute("""
            INSERT INTO \(LoaderSchema.positionsTable) (pair, stream, layout, day, lines, bytes)
            VALUES ($1, $2, $3, $4::date, 0, 0) ON CONFLICT DO NOTHING
            """, parameters: keyParameters(key))
    }

    /// Moves the key's position if it is at `lines` (waiting for a transaction that holds the row);
    /// false, nothing moved, when it is not.
    static func advance(
        _ connection: PostgresConnection, key: LoadKey, from lines: Int64, to position: LoadPosition
    ) throws(PostgresError) -> Bool {
        let rows = try connection.execute("""
            UPDATE \(LoaderSchema.positionsTable) SET lines = $6, bytes = $7, previous_received_us = $8, updated_at = now()
            WHERE pair = $1 AND stream = $2 AND layout = $3 AND day = $4::date AND lines = $5 RETURNING 1
            """, parameters: keyParameters(key) + [
                "\(lines)", "\(position.lines)", "\(position.bytes)", position.previousReceivedAt.map { "\($0)" },
            ])
        return rows.count == 1
    }

    /// `($1, $2::date), ($3, $4::date)`: `count` tuples of `width` parameters, with a cast by column.
    static func valueTuples(count: Int, width: Int, casts: [Int: String]) -> String {
        (0..<count).map { tuple in
            "(" + (0..<width).map { column in "$\(tuple * width + column + 1)\(casts[column] ?? "")" }
                .joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }
}

import BytebitCore
