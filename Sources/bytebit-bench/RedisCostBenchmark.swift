import ArgumentParser
import Foundation
import RedisTestSupport

extension BytebitBench {
    struct RedisCost: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redis-cost",
            abstract: "The collector's instructions per recorded message, files alone vs files + Redis (callgrind).",
            discussion: """
                Runs the real collector under valgrind's callgrind against kraken-sim twice, once with files \
                alone and once also publishing to a throwaway redis-server, and counts its instructions (every \
                thread) over the same window; instruction counts, unlike CPU time, do not move with the load \
                of a shared machine. `outputs-cost` measures Redis and the live feed together (the issue's target).
                """)
        @Option var rate = 200
        @Option var warmup = 8
        @Option var seconds = 20
        @Option var depth = 25
        @Option var levels = 10
        @Option(help: "Publish to this Redis instead of a throwaway redis-server.") var redis: String?
        func run() throws {
            let server = redis == nil ? try RedisTestServer() : nil
            let url = redis ?? server?.url() ?? ""
            let runner = CollectorInstructions(rate: rate, warmup: warmup, seconds: seconds, depth: depth, levels: levels)
            let files = try runner.measure(CollectorOutputs())
            let withRedis = try runner.measure(CollectorOutputs(redisURL: url))
            print(String(format: "files alone:    %d messages, %.0f instructions per message", files.messages, files.perMessage))
            print(String(format: "files + Redis:  %d messages, %.0f instructions per message", withRedis.messages, withRedis.perMessage))
            print(String(format: "Redis adds %.1f%%; callgrind, depth %d, %d levels, %d msgs/s",
                         (withRedis.perMessage / max(files.perMessage, 1) - 1) * 100, depth, levels, rate))
        }
    }
}
