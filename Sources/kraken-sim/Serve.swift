import KrakenSim

/// Serves the simulator on ws://127.0.0.1:PORT/v2 (wss with a certificate) until interrupted.
/// Stub: the lead replaces this file with the WebSocket server wiring.
func serveKrakenSim(options: SimOptions) throws {
    print("server not wired yet")
}
