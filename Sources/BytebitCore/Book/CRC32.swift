/// CRC-32 (zlib's: reflected polynomial 0xEDB88320, pre- and post-inverted), eight bytes per step
/// from eight tables ("slicing-by-8"). The book's checksum runs it over each level's ~17 stored
/// digits: zlib's `crc32` goes a byte at a time at that length, behind two calls. `BookChecksum.
/// compute` keeps zlib's, so the tests check one against the other.
enum CRC32 {
    /// 8 × 256 entries: table k maps a byte to its CRC after k more zero bytes. Made once, never freed.
    /// Written once by the lazy initialiser (thread-safe), only read after: no shared mutation.
    nonisolated(unsafe) static let tables: UnsafePointer<UInt32> = {
        let tables = UnsafeMutablePointer<UInt32>.allocate(capacity: 8 * 256)
        for index in 0..<256 {
            var crc = UInt32(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            tables[index] = crc
        }
        for table in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(table - 1) * 256 + index]
                tables[table * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return UnsafePointer(tables)
    }()

    /// Continues `crc` (0 to start) over `count` bytes, as zlib's `crc32(crc, bytes, count)`.
    @inline(__always)
    static func update(_ crc: UInt32, _ bytes: UnsafePointer<UInt8>, count: Int) -> UInt32 {
        let table = tables
        var crc = ~crc
        var cursor = UnsafeRawPointer(bytes)
        var remaining = count
        while remaining >= 8 {
            let low = UInt32(littleEndian: cursor.loadUnaligned(as: UInt32.self)) ^ crc
            let high = UInt32(littleEndian: cursor.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            crc = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                ^ table[256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
            cursor += 8
            remaining &-= 8
        }
        // The tail (a level's ~15 digits leave up to 7 bytes) in at most three steps, not seven.
        if remaining >= 4 {
            let word = UInt32(littleEndian: cursor.loadUnaligned(as: UInt32.self)) ^ crc
            crc = table[3 * 256 + Int(word & 0xFF)] ^ table[2 * 256 + Int((word >> 8) & 0xFF)]
                ^ table[256 + Int((word >> 16) & 0xFF)] ^ table[Int(word >> 24)]
            cursor += 4
            remaining &-= 4
        }
        if remaining >= 2 {
            let pair = UInt32(UInt16(littleEndian: cursor.loadUnaligned(as: UInt16.self))) ^ crc
            crc = (crc >> 16) ^ table[256 + Int(pair & 0xFF)] ^ table[Int((pair >> 8) & 0xFF)]
            cursor += 2
            remaining &-= 2
        }
        while remaining > 0 {
            crc = table[Int((crc ^ UInt32(cursor.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
            cursor += 1
            remaining &-= 1
        }
        return ~crc
    }
}
