import Testing

@testable import BytebitCore

@Suite struct FeedConfigurationTests {
    @Test func defaultsAreValid() throws {
        try FeedConfiguration(symbol: "BTC/USD").validate()
        try FeedConfiguration(symbol: "TSLAx/USD", recordsBook: false, bookDepth: 7).validate()
    }

    @Test(arguments: [
        (FeedConfiguration(symbol: "BTC/USD", bookDepth: 50), FeedError.unsupportedDepth(symbol: "BTC/USD", depth: 50)),
        (FeedConfiguration(symbol: "BTC-USD"), FeedError.malformedSymbol("BTC-USD")),
        (FeedConfiguration(symbol: "BTC/"), FeedError.malformedSymbol("BTC/")),
        (
            FeedConfiguration(symbol: "BTC/USD", recordsBook: false, recordsTrades: false),
            FeedError.nothingToRecord(symbol: "BTC/USD")
        ),
    ])
    func rejectsUnworkableSettings(configuration: FeedConfiguration, expected: FeedError) {
        #expect(throws: expected) { try configuration.validate() }
    }

    @Test func rejectsPolicyValuesOutOfRange() {
        var policy = FeedPolicy()
        policy.staleAfter = .zero
        #expect(throws: FeedError.self) { try FeedConfiguration(symbol: "BTC/USD", policy: policy).validate() }
        policy = FeedPolicy()
        policy.connectionBudget = 200
        #expect {
            try policy.validate()
        } throws: { error in
            "\(error)".contains("connectionBudget is 200")
        }
    }
}
