import BytebitWebSocket
import Testing

@Suite struct WebSocketURLTests {
    @Test(arguments: [
        ("wss://feed.example.org/v2", true, "feed.example.org", 443, "/v2"),
        ("ws://127.0.0.1:8080/v2", false, "127.0.0.1", 8080, "/v2"),
        ("WS://Example.org", false, "Example.org", 80, "/"),
        ("wss://[::1]:9443/a?b=c", true, "::1", 9443, "/a?b=c"),
        ("ws://host?x=1", false, "host", 80, "/?x=1"),
    ])
    func parses(_ text: String, _ isSecure: Bool, _ host: String, _ port: Int, _ path: String) throws {
        let url = try WebSocketURL(text)
        #expect(url.isSecure == isSecure)
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.path == path)
    }

    @Test(arguments: [
        "https://ws.kraken.com/v2", "ws://", "ws://:80/", "ws://host:0/", "ws://host:70000/", "ws://host:abc/",
        "ws://user@host/", "ws://host/#frag", "wss://[::1/",
    ])
    func rejects(_ text: String) {
        #expect(throws: WebSocketError.self) { try WebSocketURL(text) }
    }

    @Test func errorSaysWhatIsExpected() {
        let error = WebSocketError.invalidURL("http://x", reason: "the scheme must be ws:// or wss://")
        #expect(error.description.contains("ws://host[:port]/path"))
    }
}
