import BytebitCore
import Testing

/// The candle rules of SPEC §10 on a manual timeline: every instant is given, nothing sleeps.
@Suite struct KlineBuilderTests {
    /// 2026-11-21T00:00:00Z.
    static let midnight: Int64 = 1_795_219_200_000_000
    static let second: Int64 = 1_000_000

    /// Feeds trades with ids from 1; `at` is the offset from `midnight` in seconds (trade time),
    /// received `delay` later.
    struct Tape {
        var builder: KlineBuilder
        var nextID: UInt64 = 1
        var rows: [KlineRecord] = []

        init(_ intervals: [KlineInterval], precision: Int? = 1) {
            builder = KlineBuilder(intervals: intervals, pricePrecision: precision)
        }

        mutating func trade(at seconds: Double, _ price: String, _ qty: String, delay: Double = 0.1, skip: UInt64 = 0) {
            nextID += skip
            let time = KlineBuilderTests.midnight + Int64(seconds * 1_000_000)
            builder.add(KlineBuilder.Trade(
                timestamp: UTCTimestamp(microsecondsSince1970: time),
                receivedAt: UTCTimestamp(microsecondsSince1970: time + Int64(delay * 1_000_000)),
                tradeID: nextID, price: ExactDecimal(price)!, qty: ExactDecimal(qty)!))
            nextID += 1
            rows += builder.takeFinished()
        }

        mutating func wallClock(at seconds: Double) {
            builder.advance(to: Self.instant(seconds))
            rows += builder.takeFinished()
        }

        mutating func gap(at seconds: Double) {
            builder.noteGap(at: Self.instant(seconds))
            rows += builder.takeFinished()
        }

        mutating func restart(at seconds: Double) {
            builder.noteRestart(at: Self.instant(seconds))
            rows += builder.takeFinished()
        }

        static func instant(_ seconds: Double) -> UTCTimestamp {
            UTCTimestamp(microsecondsSince1970: KlineBuilderTests.midnight + Int64(seconds * 1_000_000))
        }

        func csv(_ interval: KlineInterval) -> [String] {
            rows.filter { $0.interval == interval }.map { kline in
                var bytes: [UInt8] = []
                KlineCSV.appendRow(kline, to: &bytes)
                return String(decoding: bytes.dropLast(), as: UTF8.self)
            }
        }
    }

    @Test func aCandleHasTheFirstLastHighLowSumCountAndVwapOfItsTrades() {
        var tape = Tape([.oneMinute])
        tape.trade(at: 1, "100.0", "1.00")
        tape.trade(at: 2, "102.5", "0.50")
        tape.trade(at: 30, "99.0", "2.00")
        tape.trade(at: 59.999, "101.0", "0.50")
        tape.trade(at: 60, "101.0", "1.00")  // the next interval finishes the first at once
        // vwap = (100 + 51.25 + 198 + 50.5) / 4 = 399.75 / 4 = 99.9375 → scale 1 + 4
        #expect(tape.csv(.oneMinute) == ["2026-11-21T00:00:00.000000Z,100.0,102.5,99.0,101.0,4.00,99.93750,4,true"])
    }

    @Test(arguments: KlineInterval.allCases)
    func boundariesAreMultiplesOfTheIntervalFromMidnight(_ interval: KlineInterval) {
        let length = Double(interval.microseconds) / 1_000_000
        var tape = Tape([interval])
        // 4h candles start at 00/04/08…, 1d at midnight: the last instant of one interval and the first of the next.
        tape.trade(at: length - 0.000001, "1.0", "1")
        tape.trade(at: length, "2.0", "1")
        tape.trade(at: 2 * length - 0.000001, "3.0", "1")
        tape.wallClock(at: 2 * length + 6)
        let begins = tape.rows.map { $0.intervalBegin.microseconds - Self.midnight }
        #expect(begins == [0, interval.microseconds])
        #expect(tape.rows.map(\.trades) == [1, 2])
        #expect(tape.rows.map(\.close.description) == ["1.0", "3.0"])
        #expect(interval.begin(of: Self.midnight - 1) == Self.midnight - interval.microseconds)
    }

    @Test func midnightSplitsCandlesIntoTheDayOfTheirBegin() {
        var tape = Tape([.oneHour, .oneDay])
        tape.trade(at: -0.5, "10.0", "1")  // 23:59:59.5 the day before
        tape.trade(at: 0, "11.0", "1")
        tape.trade(at: 3_600 * 24 - 1, "12.0", "1")
        tape.wallClock(at: 3_600 * 24 + 5)
        let daily = tape.rows.filter { $0.interval == .oneDay }
        #expect(daily.map(\.intervalBegin.utcDate) == ["2026-11-20", "2026-11-21"])
        #expect(daily.map(\.trades) == [1, 2])
        let hourly = tape.rows.filter { $0.interval == .oneHour }.map(\.intervalBegin.description)
        #expect(hourly == ["2026-11-20T23:00:00.000000Z", "2026-11-21T00:00:00.000000Z", "2026-11-21T23:00:00.000000Z"])
    }

    @Test func anIntervalWithoutTradesHasNoRowAndTheNextOpenIsItsOwnFirstTrade() {
        var tape = Tape([.oneMinute])
        tape.trade(at: 10, "100.0", "1")
        tape.trade(at: 190, "90.0", "1")  // minutes 1 and 2 are empty
        tape.wallClock(at: 245)
        #expect(tape.rows.map { $0.intervalBegin.microseconds - Self.midnight } == [0, 180 * Self.second])
        // Not the previous close (a flat or carried candle): the new interval's first trade.
        #expect(tape.rows.last?.open.description == "90.0")
    }

    @Test func aCandleIsWrittenFiveSecondsAfterItsEndWhenNoLaterTradeComes() {
        var tape = Tape([.oneMinute])
        tape.trade(at: 10, "100.0", "1")
        tape.wallClock(at: 64.999999)
        #expect(tape.rows.isEmpty)
        #expect(tape.builder.nextDueInstant == Tape.instant(65))
        tape.wallClock(at: 65)
        #expect(tape.rows.count == 1)
    }

    @Test func oldTradesArrivingTogetherFillTheirCandlesBeforeTimeFinishesThem() {
        // Kraken's 50-trade snapshot on subscribe: trades of minutes ago, all received at 600 s.
        var tape = Tape([.oneMinute])
        for second in [10.0, 20, 30, 70, 80] {
            tape.trade(at: second, "100.0", "1", delay: 600 - second)
        }
        #expect(tape.builder.lateTradeCount == 0)
        #expect(tape.rows.map(\.trades) == [3])
        tape.wallClock(at: 604.9)
        #expect(tape.rows.count == 1)
        tape.wallClock(at: 605)  // 5 s after the last arrival
        #expect(tape.rows.map(\.trades) == [3, 2])
    }

    @Test func aLateTradeIsCountedAndChangesNoWrittenCandle() {
        var tape = Tape([.oneMinute, .fiveMinutes])
        tape.trade(at: 10, "100.0", "1")
        tape.trade(at: 70, "101.0", "1")  // writes minute 0
        tape.trade(at: 50, "500.0", "9")  // older than the open 1m candle: late for 1m, on time for 5m
        tape.wallClock(at: 400)
        let minutes = tape.rows.filter { $0.interval == .oneMinute }
        #expect(minutes.map(\.trades) == [1, 1])
        #expect(minutes.first?.high.description == "100.0")
        #expect(tape.builder.lateTrades[.oneMinute] == 1)
        #expect(tape.builder.lateTrades[.fiveMinutes] == nil)
        #expect(tape.rows.first { $0.interval == .fiveMinutes }?.trades == 3)
        // After the settle time a trade of a written interval is late as well.
        var settled = Tape([.oneMinute])
        settled.trade(at: 10, "100.0", "1")
        settled.trade(at: 59, "100.0", "1", delay: 7)  // received at 66 s: minute 0 was written at 65 s
        #expect(settled.rows.map(\.trades) == [1])
        #expect(settled.builder.lateTradeCount == 1)
    }

    @Test func aDisconnectInsideAnIntervalMarksItAndTheCandleOfTheFirstTradeAfter() {
        var tape = Tape([.oneMinute])
        tape.trade(at: 10, "100.0", "1")
        tape.trade(at: 70, "100.0", "1")
        tape.gap(at: 80)
        tape.trade(at: 200, "100.0", "1")  // the gap ends here: minutes 1 and 3 may miss trades
        tape.trade(at: 250, "100.0", "1")
        tape.wallClock(at: 400)
        #expect(tape.rows.map(\.complete) == [true, false, false, true])
    }

    @Test func aGapAfterACandleWasWrittenCannotChangeIt() {
        var tape = Tape([.oneMinute])
        tape.trade(at: 10, "100.0", "1")
        tape.gap(at: 66)  // minute 0 was due at 65 s: whole
        tape.trade(at: 130, "100.0", "1")
        tape.wallClock(at: 200)
        #expect(tape.rows.map(\.complete) == [true, false])
    }

    @Test func aJumpInTradeIDsMarksBothSidesOfIt() {
        var tape = Tape([.oneMinute])
        tape.trade(at: 10, "100.0", "1")
        tape.trade(at: 20, "100.0", "1")
        tape.trade(at: 62, "100.0", "1", skip: 3)  // minute 0 is not written yet (due at 65 s)
        tape.trade(at: 130, "100.0", "1")
        tape.wallClock(at: 200)
        #expect(tape.rows.map(\.complete) == [false, false, true])
        // A jump seen only after a candle was written cannot change it (its trades were due by then).
        var later = Tape([.oneMinute])
        later.trade(at: 10, "100.0", "1")
        later.trade(at: 70, "100.0", "1", skip: 3)
        later.wallClock(at: 200)
        #expect(later.rows.map(\.complete) == [true, false])
    }

    @Test func aRestartMarksTheCandleThePreviousRunLeftOpenEvenWhenItIsLongOver() {
        var tape = Tape([.oneMinute])
        tape.trade(at: 10, "100.0", "1")
        tape.restart(at: 300)  // a crash at ~11 s, no `stopped` row: minute 0 may miss trades
        tape.trade(at: 301, "100.0", "1")
        tape.wallClock(at: 400)
        #expect(tape.rows.map(\.complete) == [false, false])
        // The first run of all: nothing is known before, so the first candle is incomplete.
        var first = Tape([.oneMinute])
        first.restart(at: 0)
        first.trade(at: 10, "100.0", "1")
        first.trade(at: 70, "100.0", "1")
        first.wallClock(at: 200)
        #expect(first.rows.map(\.complete) == [false, true])
    }

    @Test func skippedCandlesAreNotWrittenAgainAfterARestart() {
        var tape = Tape([.oneMinute])
        tape.builder.skipWritten(.oneMinute, through: Self.midnight + 60 * Self.second)
        tape.trade(at: 10, "100.0", "1")
        tape.trade(at: 70, "100.0", "1")
        tape.trade(at: 130, "100.0", "1")
        tape.wallClock(at: 200)
        #expect(tape.rows.map { $0.intervalBegin.microseconds - Self.midnight } == [120 * Self.second])
    }

    // MARK: vwap

    @Test func vwapTiesRoundHalfToEven() {
        // 33/32 = 1.03125 → 1.0312 (2 is even); 35/32 = 1.09375 → 1.0938 (7 is odd).
        var down = Tape([.oneMinute], precision: 0)
        down.trade(at: 1, "1", "31")
        down.trade(at: 2, "2", "1")
        down.wallClock(at: 100)
        #expect(down.rows.first?.vwap?.description == "1.0312")
        var up = Tape([.oneMinute], precision: 0)
        up.trade(at: 1, "1", "29")
        up.trade(at: 2, "2", "3")
        up.wallClock(at: 100)
        #expect(up.rows.first?.vwap?.description == "1.0938")
        // Just above and below a tie go the plain way: 2/3 = 0.66666… → 0.6667; 1/3 → 0.3333.
        var thirds = Tape([.oneMinute], precision: 0)
        thirds.trade(at: 1, "1", "2")
        thirds.trade(at: 2, "0", "1")
        thirds.wallClock(at: 100)
        #expect(thirds.rows.first?.vwap?.description == "0.6667")
    }

    @Test func vwapAndVolumeStayExactBeyondSixtyFourBits() {
        // Two trades of 9e18 qty units each: Σqty and Σprice·qty outgrow Int64.
        var tape = Tape([.oneMinute], precision: 8)
        tape.trade(at: 1, "99999.99999999", "90000000000.00000000")
        tape.trade(at: 2, "99999.99999998", "90000000000.00000000")
        tape.wallClock(at: 100)
        let row = tape.rows.first
        #expect(row?.volume?.description == "180000000000.00000000")
        // The exact mean of the two prices, 99999.999999985, at 12 decimals.
        #expect(row?.vwap?.description == "99999.999999985000")
    }

    @Test func mixedScalesAreSummedExactlyAndTheUnknownPrecisionIsTheLargestScaleSeen() {
        var tape = Tape([.oneMinute], precision: nil)
        tape.trade(at: 1, "10.5", "1")
        tape.trade(at: 2, "10.25", "1.5")
        tape.wallClock(at: 100)
        // (10.5 + 15.375) / 2.5 = 10.35 → scale 2 + 4
        #expect(tape.rows.first?.vwap?.description == "10.350000")
        #expect(tape.rows.first?.volume?.description == "2.5")
    }

    @Test func theKlineMessageCarriesTheRowAsStrings() throws {
        var tape = Tape([.fiveMinutes])
        tape.trade(at: 1, "67321.1", "0.01000000")
        tape.wallClock(at: 400)
        let kline = try #require(tape.rows.first)
        let text = String(decoding: LiveMessage.kline(pair: "BTC-USD", kline), as: UTF8.self)
        #expect(text == #"{"type":"kline","pair":"BTC-USD","interval":"5m","interval_begin":"2026-11-21T00:00:00.000000Z","open":"67321.1","high":"67321.1","low":"67321.1","close":"67321.1","volume":"0.01000000","vwap":"67321.10000","trades":1,"complete":true}"#)
    }
}
