import Testing
@testable import BytebitWebSocket

@Suite struct LinkTests {
    @Test func linksAgainstLibwebsockets4() {
        #expect(libwebsocketsMajorVersion == 4)
    }
}
