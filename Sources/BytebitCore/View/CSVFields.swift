/// The comma-separated fields of one line, found in place: no copies, one reusable index array.
/// bytebit's book and trade rows never quote (numbers, timestamps, fixed words); the events file's
/// free-text `detail` may, and is read with `CSVFields.quotedFields(of:)`.
struct CSVFields {
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    private(set) var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    /// Splits `line` at every comma; returns the number of fields.
    @discardableResult
    mutating func split(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        self.line = line
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        guard let base = line.baseAddress else {
            starts.append(0)
            ends.append(0)
            return 1
        }
        var fieldStart = 0
        var index = 0
        let count = line.count
        while index < count {
            if base[index] == 0x2C {
                starts.append(fieldStart)
                ends.append(index)
                fieldStart = index + 1
            }
            index += 1
        }
        starts.append(fieldStart)
        ends.append(count)
        return starts.count
    }

    var count: Int { starts.count }

    /// The bytes of field `index`.
    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[starts[index]..<ends[index]])
    }

    func isEmpty(_ index: Int) -> Bool { starts[index] == ends[index] }

    func decimal(_ index: Int) -> ExactDecimal? { ExactDecimal(ascii: self[index]) }

    func timestamp(_ index: Int) -> UTCTimestamp? { FastTimestamp.parse(self[index]) }

    func text(_ index: Int) -> String { String(decoding: self[index], as: UTF8.self) }

    /// RFC 4180 fields (quotes around a field, `""` inside it), for lines that may hold free text.
    static func quotedFields(of line: UnsafeBufferPointer<UInt8>) -> [String] {
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
