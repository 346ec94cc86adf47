import BytebitWebSocket
import Testing

@Suite struct LinkTests {
    @Test func linksAgainstLibwebsockets4() {
        #expect(libwebsocketsMajorVersion == 4)
    }
}
