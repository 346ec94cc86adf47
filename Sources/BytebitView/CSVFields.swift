import BytebitCore

/// The comma-separated fields of one line, found in place: no copies, one reusable index array.
/// bytebit's book and trade rows never quote (numbers, timestamps, fixed words); the events file's
/// free-text `detail` may, and is read with `CSVFields.quotedFields(of:)`.
public struct CSVFields {
    /// Field boundaries: field i runs from `bounds[2i]` to `bounds[2i + 1]`; grown, never shrunk.
    public init() {}

    private var bounds: [Int] = Array(repeating: 0, count: 256)
    public private(set) var count = 0
    public private(set) var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    /// Splits `line` at every comma; returns the number of fields.
    @discardableResult
    public mutating func split(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        self.line = line
        // At most one field per byte plus one: make room once, then write without bounds checks.
        if bounds.count < 2 * (line.count + 1) {
            bounds = Array(repeating: 0, count: 2 * (line.count + 1))
        }
        let total = line.count
        count = bounds.withUnsafeMutableBufferPointer { slots -> Int in
            guard let base = line.baseAddress, let out = slots.baseAddress else {
                slots[0] = 0
                slots[1] = 0
                return 1
            }
            var fields = 0
            var fieldStart = 0
            var index = 0
            while index < total {
                if base[index] == 0x2C {
                    out[2 * fields] = fieldStart
                    out[2 * fields + 1] = index
                    fields += 1
                    fieldStart = index + 1
                }
                index += 1
            }
            out[2 * fields] = fieldStart
            out[2 * fields + 1] = total
            return fields + 1
        }
        return count
    }

    /// Start offset of field `index` in the line.
    private func start(_ index: Int) -> Int { bounds[2 * index] }

    /// End offset (exclusive) of field `index`.
    private func end(_ index: Int) -> Int { bounds[2 * index + 1] }


    /// The bytes of field `index`.
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: line.baseAddress.map { $0 + start(index) }, count: end(index) - start(index))
    }

    public func isEmpty(_ index: Int) -> Bool { start(index) == end(index) }

    func decimal(_ index: Int) -> ExactDecimal? { ExactDecimal(ascii: self[index]) }

    func timestamp(_ index: Int) -> UTCTimestamp? { FastTimestamp.parse(self[index]) }

    func text(_ index: Int) -> String { String(decoding: self[index], as: UTF8.self) }

    /// RFC 4180 fields (quotes around a field, `""` inside it), for lines that may hold free text.
    public static func quotedFields(of line: UnsafeBufferPointer<UInt8>) -> [String] {
        var fields: [String] = []
        var current: [UInt8] = []
        var inQuotes = false
        var index = 0
        while index < line.count {
            let byte = line[index]
            if inQuotes {
                if byte == 0x22 {
                    if index + 1 < line.count, line[index + 1] == 0x22 {
                        current.append(0x22)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == 0x22 {
                inQuotes = true
            } else if byte == 0x2C {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
            index += 1
        }
        fields.append(String(decoding: current, as: UTF8.self))
        return fields
    }
}
