import BytebitCore
import BytebitLoader
import Foundation
import Testing

extension LoaderDatabaseTests {
    /// Book and trade rows go over in binary COPY format, each number built from its text: the server
    /// must hold what its own text input makes of the same text (scale, trailing zeros, sign), and
    /// each timestamp to the microsecond.
    @Test func binaryRowsHoldExactlyWhatTheFileSays() throws {
        let numbers = [
            "0.00000001", "0.00010000", "1", "10000", "10000.0001", "99999999.99999999", "123456789012345678",
            "0.0", "-0.5", "007.50", "67321.1", "100000000", "0.12345", "5000.5",
        ]
        let times = ["00:00:00.000000", "00:00:00.000001", "12:34:56.789012", "23:59:59.999999"]
        var text = ""
        for (index, number) in numbers.enumerated() {
            let time = "\(date)T\(times[index % times.count])Z"
            let qty = numbers[numbers.count - 1 - index]
            text += "\(time),\(time),\(index + 1),\(index % 2 == 0 ? "buy" : "sell"),\(number),\(qty),market\n"
        }
        try files.append(text, pair: "NUM-USD", stream: .trades, date: date)
        let pass = try loader().pass()
        #expect(pass.loaded == numbers.count)
        #expect(pass.rejected == 0)
        let connection = try server.connect()
        let stored = try connection.execute("""
            SELECT price::text, volume::text, side, order_type, event_time = received_at,
                   to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
            FROM kraken_trades WHERE pair = 'NUM-USD' ORDER BY trade_id
            """)
        #expect(stored.count == numbers.count)
        for (index, row) in stored.enumerated() where index < numbers.count {
            let asText = { (number: String) in try connection.execute("SELECT $1::numeric::text", parameters: [number]).first?.first ?? nil }
            #expect(row[0] == (try asText(numbers[index])), "price \(numbers[index])")
            #expect(row[1] == (try asText(numbers[numbers.count - 1 - index])), "qty \(numbers[numbers.count - 1 - index])")
            #expect(row[2] == (index % 2 == 0 ? "buy" : "sell"))
            #expect(row[3] == "market")
            #expect(row[4] == "t")
            #expect(row[5] == "\(date)T\(times[index % times.count])Z")
        }
    }

    /// A number the file may hold but binary COPY cannot carry as written is a reject with its file and
    /// line, and the rows around it load.
    @Test func aTradeCellThatIsNotANumberIsRejectedAndItsNeighboursLoad() throws {
        var text = RecordedFiles.trades(date: date, firstID: 1, count: 2)
        text += "\(date)T02:00:00.000000Z,\(date)T02:00:00.000000Z,3,buy,1.5.0,1.0,limit\n"
        text += RecordedFiles.trades(date: date, firstID: 4, count: 2, start: 9000)
        try files.append(text, pair: "BAD-USD", stream: .trades, date: date)
        let pass = try loader().pass()
        #expect(pass.loaded == 4)
        #expect(pass.rejected == 1)
        #expect(try server.execute("SELECT line FROM bytebit_load_rejects WHERE pair = 'BAD-USD'").map { $0[0] } == ["4"])
    }
}
