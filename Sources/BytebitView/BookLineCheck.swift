import BytebitCore

/// Checks an order book line without splitting it or building decimals (the CSV pass-through path, where
/// this is most of the work): field count, both timestamps, and every other cell empty or decimal text
/// (digits with at most one inner point and an optional leading minus).
public enum BookLineCheck {
    private static let digit: UInt8 = 1, point: UInt8 = 2, comma: UInt8 = 3, minus: UInt8 = 4
    private static let classes: [UInt8] = (0...255).map { byte in
        switch byte {
        case 0x30...0x39: return digit
        case 0x2E: return point
        case 0x2C: return comma
        case 0x2D: return minus
        default: return 0
        }
    }

    public static func defect(in line: UnsafeBufferPointer<UInt8>, layout: BookLayout) -> RowDefect? {
        guard let base = line.baseAddress else { return RowDefect(reason: "empty line") }
        let end = line.count
        guard let firstComma = line.firstIndex(of: 0x2C),
              let secondComma = line[(firstComma + 1)...].firstIndex(of: 0x2C)
        else { return countDefect(in: line, layout: layout) }
        guard FastTimestamp.parse(UnsafeBufferPointer(rebasing: line[0..<firstComma])) != nil else {
            return RowDefect(reason: "bad timestamp \"\(text(line, 0, firstComma))\"")
        }
        guard FastTimestamp.parse(UnsafeBufferPointer(rebasing: line[(firstComma + 1)..<secondComma])) != nil else {
            return RowDefect(reason: "bad received_at \"\(text(line, firstComma + 1, secondComma))\"")
        }
        var fields = 3
        var fieldStart = secondComma + 1
        var points = 0
        var index = fieldStart
        var isBad = false
        classes.withUnsafeBufferPointer { table in
            while index < end {
                let kind = table[Int(base[index])]
                if kind == digit {
                    index += 1
                    continue
                }
                if kind == comma {
                    if index > fieldStart, table[Int(base[index - 1])] != digit { isBad = true; return }
                    fields += 1
                    fieldStart = index + 1
                    points = 0
                } else if kind == point {
                    points += 1
                    if points > 1 || index == fieldStart { isBad = true; return }
                } else if kind != minus || index != fieldStart {
                    isBad = true
                    return
                }
                index += 1
            }
            if end > fieldStart, table[Int(base[end - 1])] != digit { isBad = true }
        }
        if isBad {
            let fieldEnd = line[min(index, end)...].firstIndex(of: 0x2C) ?? end
            let start = index >= end ? fieldStart : fieldStart
            return RowDefect(reason: "bad number \"\(text(line, start, fieldEnd))\" in field \(fields)")
        }
        guard fields == layout.fieldCount else {
            return RowDefect(reason: "expected \(layout.fieldCount) fields, found \(fields)")
        }
        return nil
    }

    private static func countDefect(in line: UnsafeBufferPointer<UInt8>, layout: BookLayout) -> RowDefect {
        let fields = line.reduce(1) { $0 + ($1 == 0x2C ? 1 : 0) }
        return RowDefect(reason: "expected \(layout.fieldCount) fields, found \(fields)")
    }

    private static func text(_ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: line[start..<max(start, end)]), as: UTF8.self)
    }
}
