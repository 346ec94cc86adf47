// libFuzzer entry point for the Kraken decoder and the order book. Built outside SwiftPM by
// scripts/fuzz-decoder together with the BytebitCore sources it exercises (one module).

/// The book state survives between inputs so sequences of updates are exercised too.
nonisolated(unsafe) private var fuzzBook = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
nonisolated(unsafe) private var fuzzDecoder = KrakenDecoder()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoderAndBook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let frame = UnsafeRawBufferPointer(start: data, count: size)
    guard let message = try? fuzzDecoder.decode(frame) else { return 0 }
    switch message {
    case .book(let entries):
        for entry in entries {
            _ = fuzzBook.ingest(entry)
            // Invariants a crash makes visible to the fuzzer: sorted sides within depth, and the
            // cached checksum equal to a full render.
            let full = BookChecksum.compute(
                asks: fuzzBook.asks, bids: fuzzBook.bids,
                pricePrecision: fuzzBook.pricePrecision, qtyPrecision: fuzzBook.qtyPrecision)
            precondition(fuzzBook.checksum == full, "cached checksum differs from a full render")
            precondition(fuzzBook.bids.count <= 10 && fuzzBook.asks.count <= 10, "book deeper than its depth")
            precondition(zip(fuzzBook.bids, fuzzBook.bids.dropFirst()).allSatisfy { $0.price > $1.price })
            precondition(zip(fuzzBook.asks, fuzzBook.asks.dropFirst()).allSatisfy { $0.price < $1.price })
        }
    case .instrument(let instrument):
        if let pair = instrument.pairs.first {
            fuzzBook.updatePrecision(price: pair.pricePrecision, qty: pair.qtyPrecision)
        }
    case .status(let system, _):
        if system == "reset" { fuzzBook.removeAll() }
    default:
        break
    }
    return 0
}
