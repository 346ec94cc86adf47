import Foundation
import Testing

@Suite struct BuiltProductTests {
    @Test func findsTheBuiltExecutables() {
        #expect(FileManager.default.isExecutableFile(atPath: BuiltProduct.path("collector")))
        #expect(FileManager.default.isExecutableFile(atPath: BuiltProduct.path("kraken-sim")))
        #expect(FileManager.default.isExecutableFile(atPath: BuiltProduct.path("bytebit")))
    }
}
