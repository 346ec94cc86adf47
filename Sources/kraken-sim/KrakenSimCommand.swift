import ArgumentParser
import BytebitCore
import KrakenSim
import Logging

/// `kraken-sim`: a local Kraken WebSocket v2 exchange for tests, demos and benchmarks.
@main
struct KrakenSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kraken-sim",
        abstract: "Serve a simulated Kraken WebSocket v2 exchange on ws://127.0.0.1:PORT/v2.",
        discussion: helpText)

    @Option(help: "TCP port to listen on (127.0.0.1); 0 picks a free one, printed on stdout.")
    var port: Int

    @Option(name: .customLong("tls-cert"), help: "PEM certificate: serve wss instead of ws.")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "Seed of the random markets: the same seed gives the same data.")
    var seed: UInt64 = 1

    @Option(help: "Book messages per second per pair; with --pairs-file, in total over all pairs (Zipf-skewed).")
    var rate: Double = 100

    @Option(
        name: .customLong("pairs-file"),
        help: "List the online pairs of this Kraken instrument snapshot (JSON) instead of the built-in five.")
    var pairsFile: String?

    @Option(
        name: .customLong("connection-limit"),
        help: "Enforce Kraken's limit: refuse the attempt past N per --connection-window and ban for --ban.")
    var connectionLimit: Int?

    @Option(name: .customLong("connection-window"), help: "Rolling window of --connection-limit (600s, 10m).")
    var connectionWindow = SecondsArgument(seconds: 600)

    @Option(help: "How long --connection-limit refuses every attempt once passed (600s, 10m).")
    var ban = SecondsArgument(seconds: 600)

    @Option(
        name: .customLong("control-port"),
        help: "Serve GET /control/{stats,blip,list?pair=,delist?pair=} on http://127.0.0.1:PORT (0: a free one).")
    var controlPort: Int?

    @Flag(help: "Send as fast as each client reads (overrides --rate).")
    var unlimited = false

    @Option(help: "Sim time at start, RFC 3339 UTC (e.g. 2026-11-21T23:59:55Z); default: now.")
    var start: TimestampArgument?

    @Option(help: "Sim seconds per real second.")
    var speed: Double = 1

    @Option(name: .customLong("truth-dir"), help: "Write book-truth.jsonl and trade-truth.jsonl here.")
    var truthDirectory: String?

    @Option(name: .customLong("drop-after"), help: "Fault: reset the connection after N data messages.")
    var dropAfter: Int?

    @Option(help: "Fault N:S: after N data messages send nothing for S seconds.")
    var silence: MessagesAndSeconds?

    @Option(name: .customLong("wrong-checksum"), help: "Fault: book message N carries a wrong checksum.")
    var wrongChecksum: Int?

    @Option(help: "Fault: data message N is a truncated (invalid) JSON frame.")
    var truncate: Int?

    @Option(
        name: .customLong("reject-pair"),
        help: "Fault: answer subscriptions to SYMBOL with \"Currency pair not supported\".")
    var rejectPairs: [String] = []

    @Option(
        name: .customLong("reject-channel"),
        help: "Fault CHANNEL:SYMBOL (e.g. ticker:BTC/USD): refuse that channel of that pair only.")
    var rejectChannels: [String] = []

    @Option(help: "Fault N:S: after N data messages a maintenance status and no data for S seconds.")
    var maintenance: MessagesAndSeconds?

    @Option(name: .customLong("fault-connections"), help: "Which connections the faults hit: first, every or a number.")
    var faultConnections = FaultScopeArgument(.firstConnection)

    func run() throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let options = try simOptions()
        try serveKrakenSim(options: options, controlPort: controlPort)
    }

    /// The command line as `SimOptions`; a bad value is a usage error naming the option.
    func simOptions() throws -> SimOptions {
        let scope = faultConnections.scope
        var faults: [SimFault] = []
        if let dropAfter { faults.append(.dropAfter(messages: dropAfter)) }
        if let silence { faults.append(.silence(afterMessages: silence.messages, seconds: silence.seconds)) }
        if let wrongChecksum { faults.append(.wrongChecksum(bookMessage: wrongChecksum)) }
        if let truncate { faults.append(.truncatedFrame(message: truncate)) }
        faults += rejectPairs.map { .rejectPair(symbol: $0) }
        for text in rejectChannels {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            faults.append(.rejectChannel(channel: parts.first ?? "", symbol: parts.count == 2 ? parts[1] : ""))
        }
        if let maintenance {
            faults.append(.maintenance(afterMessages: maintenance.messages, seconds: maintenance.seconds))
        }
        var pairs = SimPair.catalog
        if let pairsFile {
            do {
                pairs = try SimPair.loadInstrumentFile(pairsFile, seed: seed)
            } catch {
                throw ValidationError(error.description)
            }
        }
        let limit = connectionLimit.map {
            SimConnectionLimit(attempts: $0, windowSeconds: connectionWindow.seconds, banSeconds: ban.seconds)
        }
        let options = SimOptions(
            port: port, tlsCertificatePath: tlsCertificate, tlsKeyPath: tlsKey, seed: seed,
            pace: unlimited ? .unlimited : .messagesPerSecond(rate), start: start?.timestamp, speed: speed,
            truthDirectory: truthDirectory, faults: faults.map { SimFaultRule($0, scope: scope) }, pairs: pairs,
            connectionLimit: limit)
        do {
            try options.validate()
        } catch {
            throw ValidationError(error.description)
        }
        return options
    }

    static let helpText: String = {
        let pairs = SimPair.catalog.map { pair in
            "  \(pair.symbol)  price precision \(pair.pricePrecision), qty precision \(pair.qtyPrecision)"
        }
        return """
            Channels: status (on connect), heartbeat, instrument, book (depth 10/25/100/500/1000), trade, \
            ticker (event_trigger trades/bbo), ohlc (interval 1/5/15/30/60/240/1440/10080/21600); \
            application ping/pong. Data messages counted by the faults are book, trade, ticker and ohlc \
            frames, from 1.

            Pairs (unless --pairs-file):
            \(pairs.joined(separator: "\n"))

            Control (--control-port): GET /control/stats, /control/blip (reset every connection),
            /control/list?pair=NEW/USD[&price_precision=4&qty_precision=8], /control/delist?pair=X/Y.

            Faults (the first connection only unless --fault-connections says otherwise):
              --drop-after N        TCP reset after data message N
              --silence N:S         nothing at all for S seconds after data message N
              --wrong-checksum N    book message N has a wrong checksum
              --truncate N          data message N is cut in half
              --reject-pair SYMBOL  "Currency pair not supported SYMBOL"
              --reject-channel C:S  the same, for channel C (book, trade, ticker, ohlc) of pair S only
              --maintenance N:S     maintenance status, no data for S seconds after data message N
            """
    }()
}
