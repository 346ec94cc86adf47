import CHiredis

/// One reply of the Redis protocol, copied out of hiredis' `redisReply`.
public enum RedisReply: Sendable, Equatable {
    case status(String)
    case error(String)
    case integer(Int)
    case bulk([UInt8])
    case array([RedisReply])
    case null

    init(_ reply: UnsafePointer<redisReply>) {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STATUS: self = .status(Self.text(value))
        case REDIS_REPLY_ERROR: self = .error(Self.text(value))
        case REDIS_REPLY_INTEGER: self = .integer(Int(value.integer))
        case REDIS_REPLY_STRING: self = .bulk(Self.bytes(value))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(value.elements)
            for index in 0..<value.elements {
                if let element = value.element[index] { elements.append(RedisReply(element)) }
            }
            self = .array(elements)
        default: self = .null
        }
    }

    /// The text of a bulk or status reply.
    public var text: String? {
        switch self {
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    private static func bytes(_ value: redisReply) -> [UInt8] {
        guard let pointer = value.str, value.len > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: value.len) { Array(UnsafeBufferPointer(start: $0, count: value.len)) }
    }

    private static func text(_ value: redisReply) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }
}
