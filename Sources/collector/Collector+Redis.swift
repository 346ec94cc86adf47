import BytebitCore
import BytebitRedis
import Logging

extension Collector {
    /// The process's one Redis publisher when the config has a `redis` section (or `REDIS_URL`);
    /// a URL it cannot use (`rediss://`, a bad database) is a configuration error (exit 78).
    static func redisPublisher(_ config: BytebitConfig) -> RedisPublisher? {
        guard let output = config.redis else { return nil }
        do {
            let endpoint = try RedisEndpoint(url: output.url)
            return RedisPublisher(settings: .init(endpoint: endpoint), logger: Logger(label: "redis"))
        } catch {
            fail(error.description, status: .configuration)
        }
    }

    /// A market's sinks beside its files.
    static func otherSinks(pair: MarketPair, redis: RedisPublisher?) -> [any RecordSink] {
        guard let redis else { return [] }
        return [RedisSink(pair: pair.name, publisher: redis)]
    }
}
