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

    /// Inside the batch's transaction: locks the key's row and returns its lines (0 when new), so a
    /// second loader over the same data (a `bytebit load` beside the running loader) is noticed.
    static func lockedLines(_ connection: PostgresConnection, key: LoadKey) throws(PostgresError) -> Int64 {
        try connection.execute("""
            INSERT INTO \(LoaderSchema.positionsTable) (pair, stream, layout, day, lines, bytes)
            VALUES ($1, $2, $3, $4::date, 0, 0) ON CONFLICT DO NOTHING
            """, parameters: keyParameters(key))
        let rows = try connection.execute("""
            SELECT lines FROM \(LoaderSchema.positionsTable)
            WHERE pair = $1 AND stream = $2 AND layout = $3 AND day = $4::date FOR UPDATE
            """, parameters: keyParameters(key))
        guard let cell = rows.first?.first, let text = cell, let lines = Int64(text) else { return 0 }
        return lines
    }

    static func save(_ connection: PostgresConnection, key: LoadKey, position: LoadPosition) throws(PostgresError) {
        try connection.execute("""
            UPDATE \(LoaderSchema.positionsTable) SET lines = $5, bytes = $6, previous_received_us = $7, updated_at = now()
            WHERE pair = $1 AND stream = $2 AND layout = $3 AND day = $4::date
            """, parameters: keyParameters(key) + [
                "\(position.lines)", "\(position.bytes)", position.previousReceivedAt.map { "\($0)" },
            ])
    }
}

import BytebitCore
