import BytebitWebSocket
import Foundation
import KrakenSim
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The simulator's control interface and connection limit over real sockets: a real WebSocket client
/// against `KrakenSimServer` on 127.0.0.1, changed live through `SimControlServer`'s HTTP endpoints.
@Suite struct KrakenSimControlTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("KrakenSimTests/Fixtures/kraken-data-recorder_instrument_snapshot.json").path

    @Test func aListingABlipAndTheConnectionLimitAsAClientSeesThem() throws {
        let pairs = try SimPair.loadInstrumentFile(Self.fixture, seed: 3)
        let options = SimOptions(
            port: 0, seed: 3, pace: .messagesPerSecond(570), pairs: pairs,
            connectionLimit: SimConnectionLimit(attempts: 2, windowSeconds: 600, banSeconds: 600))
        let simulator = try KrakenSimServer(options: options, logger: testLogger)
        simulator.start()
        defer { simulator.stop() }
        let control = try SimControlServer(port: 0, simulator: simulator)
        control.start()
        defer { control.stop() }

        let first = try makeClient(simulator.url)
        let handler = RecordingClientHandler()
        let symbols = pairs.prefix(200).map { "\"\($0.symbol)\"" }.joined(separator: ",")
        handler.onOpen = {
            first.send(text: #"{"method":"subscribe","params":{"channel":"instrument","snapshot":false},"req_id":1}"#)
            first.send(
                text: #"{"method":"subscribe","params":{"channel":"book","symbol":["ETH2.S/ETH",\#(symbols)]},"req_id":2}"#)
        }
        let ending = Eventually<WebSocketEnding>()
        Thread { ending.fulfil(first.run(handler: handler)) }.start()
        let isBookSnapshot = { (text: String) in text.contains(#""type":"snapshot""#) && text.contains(#""channel":"book""#) }
        // The predicate runs under the record's lock: it reads the state it is given, not `handler.texts`.
        #expect(handler.record.wait(timeout: 20) { $0.texts.filter(isBookSnapshot).count == 201 })
        #expect(handler.texts.filter(isBookSnapshot).contains { $0.contains(#""symbol":"ETH2.S/ETH""#) })

        let listed = try httpGet(port: control.port, path: "/control/list?pair=NEW.X/USD")
        #expect(listed.status == 200, "\(listed.body)")
        #expect(try httpGet(port: control.port, path: "/control/list?pair=NEW.X/USD").status == 409)
        #expect(
            handler.record.wait(timeout: 10) { state in
                state.texts.contains { $0.contains(#""channel":"instrument""#) && $0.contains(#""symbol":"NEW.X/USD""#) }
            })
        let stats = try httpGet(port: control.port, path: "/control/stats")
        #expect(stats.status == 200)
        #expect(stats.body.contains(#""connection_attempts":1,"refusals":0,"bans":0"#), "\(stats.body)")
        #expect(stats.body.contains(#""book_subscriptions":201"#), "\(stats.body)")
        #expect(stats.body.contains(#""listed_pairs":673"#), "\(stats.body)")

        let blip = try httpGet(port: control.port, path: "/control/blip")
        #expect(blip.body == #"{"dropped":1}"#)
        let blipEnding = ending.wait(timeout: 10)
        if case .abnormalClose = blipEnding {} else { Issue.record("the blip ended the client with \(String(describing: blipEnding))") }

        // Attempt 2 is within the limit; attempt 3 is past it and refused.
        #expect(openAndStop(simulator.url).opened)
        let refused = openAndStop(simulator.url)
        #expect(
            refused.ending == .peerClosed(code: 1008, reason: "429 Too Many Requests: connection limit exceeded"),
            "\(String(describing: refused.ending))")
        #expect(refused.texts.isEmpty, "a refused client gets no status")
        let after = try httpGet(port: control.port, path: "/control/stats")
        #expect(after.body.contains(#""connection_attempts":3,"refusals":1,"bans":1,"banned":true"#), "\(after.body)")
        #expect(try httpGet(port: control.port, path: "/control/nothing").status == 404)
    }

    /// Connects, waits for the status frame (or the end), then stops.
    private func openAndStop(_ url: String) -> (opened: Bool, ending: WebSocketEnding?, texts: [String]) {
        guard let client = try? makeClient(url) else { return (false, nil, []) }
        let handler = RecordingClientHandler()
        let ending = Guarded<WebSocketEnding?>(nil)
        Thread {
            let end = client.run(handler: handler)
            ending.mutate { $0 = end }
            // Wakes the wait below when the run ended without any message.
            handler.record.mutate { _ in }
        }.start()
        let gotStatus = handler.record.wait(timeout: 10) { !$0.messages.isEmpty || ending.read { $0 != nil } }
            && !handler.texts.isEmpty
        if gotStatus { client.stop() }
        _ = ending.wait(timeout: 10) { $0 != nil }
        return (gotStatus, ending.read { $0 }, handler.texts)
    }
}

/// One GET to the control port: (HTTP status, body).
func httpGet(port: Int, path: String) throws -> (status: Int, body: String) {
    try SimControlClient.get(port: port, path: path)
}

extension ClientRecord {
    /// The messages as text.
    fileprivate var texts: [String] { messages.map { String(decoding: $0, as: UTF8.self) } }
}
