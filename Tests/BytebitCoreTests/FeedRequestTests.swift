import Testing

@testable import BytebitCore

@Suite struct FeedRequestTests {
    @Test func requestTextMatchesKrakensEnvelope() {
        #expect(
            FeedRequest.subscribe(.instrument, symbol: "BTC/USD", depth: 25, requestID: 1)
                == #"{"method":"subscribe","params":{"channel":"instrument","snapshot":true},"req_id":1}"#)
        #expect(
            FeedRequest.subscribe(.book, symbol: "BTC/USD", depth: 25, requestID: 2)
                == #"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25,"snapshot":true},"req_id":2}"#
        )
        #expect(
            FeedRequest.subscribe(.trade, symbol: "ETH/BTC", depth: 25, requestID: 3)
                == #"{"method":"subscribe","params":{"channel":"trade","symbol":["ETH/BTC"],"snapshot":true},"req_id":3}"#
        )
        #expect(
            FeedRequest.unsubscribe(.book, symbol: "BTC/USD", depth: 1000, requestID: 4)
                == #"{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":1000},"req_id":4}"#
        )
        #expect(FeedRequest.ping(requestID: 5) == #"{"method":"ping","req_id":5}"#)
    }

    @Test func symbolIsEscapedInsideTheJSONString() {
        let text = FeedRequest.subscribe(.trade, symbol: "A\"B/\\C", depth: 10, requestID: 1)
        #expect(text.contains(#"["A\"B/\\C"]"#))
        #expect(FeedRequestView(text)?.symbols == ["A\"B/\\C"])
    }
}

extension FeedRequestTests {
    @Test func controlCharactersAreEscaped() {
        let text = FeedRequest.subscribe(.trade, symbol: "A\nB", depth: 10, requestID: 1)
        #expect(text.contains(#"["A\nB"]"#))
        #expect(FeedRequestView(text)?.symbols == ["A\nB"])
    }
}
