import BytebitCore
import BytebitLive
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

    /// A market's sinks beside its files: the live feed's and Redis', which share each record's
    /// JSON (`LiveMessageOutputs`). Redis first: it writes every book's message, which the live
    /// sink then copies.
    static func otherSinks(pair: MarketPair, redis: RedisPublisher?, uplink: LiveUplink?) -> [any RecordSink] {
        var outputs: [any LiveMessageSink] = []
        if let redis { outputs.append(RedisSink(pair: pair.name, publisher: redis)) }
        if let uplink { outputs.append(LiveUplinkSink(pair: pair.name, uplink: uplink)) }
        return LiveMessageOutputs.combining(pair: pair.name, outputs)
    }
}
