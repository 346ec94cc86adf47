import Testing

/// The test's reference book must itself agree with Kraken before it can judge the simulator.
@Suite struct ReferenceBookTests {
    // Captured live from Kraken's public v2 endpoint (2026-08-26), from shared/kraken-v2-fixtures/live-frames.json.
    static let ethBTCSnapshot =
        #"{"channel":"book","type":"snapshot","data":[{"symbol":"ETH/BTC","bids":[{"price":0.031348,"qty":0.03740000},{"price":0.031347,"qty":2.87288049},{"price":0.031345,"qty":8.57986833},{"price":0.031344,"qty":14.40276069},{"price":0.031340,"qty":12.96065840},{"price":0.031339,"qty":13.19606540},{"price":0.031338,"qty":20.41389313},{"price":0.031336,"qty":0.03740000},{"price":0.031334,"qty":14.37158163},{"price":0.031332,"qty":14.40695990}],"asks":[{"price":0.031357,"qty":0.03740000},{"price":0.031358,"qty":2.87194815},{"price":0.031361,"qty":0.00767324},{"price":0.031362,"qty":4.27140781},{"price":0.031363,"qty":4.34586052},{"price":0.031364,"qty":27.28097668},{"price":0.031365,"qty":12.92325840},{"price":0.031366,"qty":4.14290322},{"price":0.031368,"qty":0.00738649},{"price":0.031370,"qty":0.03740000}],"checksum":3619791617,"timestamp":"2026-08-26T15:16:16.637831Z"}]}"#
    static let ethBTCUpdate =
        #"{"channel":"book","type":"update","data":[{"symbol":"ETH/BTC","bids":[{"price":0.031347,"qty":0.00000000},{"price":0.031329,"qty":19.07893401}],"asks":[],"checksum":2505869009,"timestamp":"2026-08-26T15:16:16.730423Z"}]}"#

    @Test func reproducesKrakensLiveChecksums() throws {
        var book = ReferenceBook(depth: 10)
        for (text, isSnapshot) in [(Self.ethBTCSnapshot, true), (Self.ethBTCUpdate, false)] {
            let data = try #require(try RawJSON.parse(text)["data"]?.array?.first)
            book.apply(data, isSnapshot: isSnapshot)
            #expect(String(book.checksum) == data["checksum"]?.number)
        }
        #expect(book.bidLevels.count == 10)
        #expect(book.bidLevels.last?.price == "0.031329")
    }
}
