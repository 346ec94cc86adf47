import BytebitLive
import Foundation
import Testing

@Suite struct LiveTokenTests {
    func temporaryPath(_ name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("live-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }

    @Test func aMissingTokenFileIsCreatedRandomAndPrivate() throws {
        let path = try temporaryPath("live.token")
        let (token, created) = try LiveToken.loadOrCreate(path: path)
        #expect(created)
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.count == 64 && text.allSatisfy(\.isHexDigit), "32 random bytes as hex")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(token.accepts(tokenArgument: text, authorization: ""))
        let (again, createdAgain) = try LiveToken.loadOrCreate(path: path)
        #expect(!createdAgain)
        #expect(again.accepts(tokenArgument: text, authorization: ""), "the same token on the next start")
        let other = try LiveToken.loadOrCreate(path: try temporaryPath("other.token")).token
        #expect(!other.accepts(tokenArgument: text, authorization: ""), "each created token is new")
    }

    @Test func aHandWrittenTokenTooShortIsRefused() throws {
        let path = try temporaryPath("short.token")
        try "secret\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LiveFeedError.self) { try LiveToken.loadOrCreate(path: path) }
    }

    @Test func theTokenComesAsAQueryArgumentOrABearerHeader() {
        let token = LiveToken(secret: "0123456789abcdef0123")
        #expect(token.accepts(tokenArgument: "0123456789abcdef0123", authorization: ""))
        #expect(token.accepts(tokenArgument: "", authorization: "Bearer 0123456789abcdef0123"))
        #expect(token.accepts(tokenArgument: "", authorization: "bearer 0123456789abcdef0123"))
        #expect(!token.accepts(tokenArgument: "", authorization: ""))
        #expect(!token.accepts(tokenArgument: "0123456789abcdef012", authorization: ""), "a prefix")
        #expect(!token.accepts(tokenArgument: "0123456789abcdef01234", authorization: ""), "longer")
        #expect(!token.accepts(tokenArgument: "", authorization: "Basic 0123456789abcdef0123"))
        #expect(!token.accepts(tokenArgument: "", authorization: "0123456789abcdef0123"))
    }

    @Test func theGateAsksForTheTokenOnlyOnTheStream() {
        let gate = LiveAccessGate(token: LiveToken(secret: "0123456789abcdef0123"))
        guard case .status(401, _) = gate.answer(path: "/v1/stream", tokenArgument: "", authorization: "", isUpgrade: true)
        else { Issue.record("no token must be 401"); return }
        guard case .status(401, _) = gate.answer(path: "/v1/stream", tokenArgument: "wrong-token-wrong", authorization: "", isUpgrade: true)
        else { Issue.record("a wrong token must be 401"); return }
        #expect(gate.answer(path: "/v1/stream", tokenArgument: "0123456789abcdef0123", authorization: "", isUpgrade: true)
            == .upgrade)
        guard case .file(let page) = gate.answer(path: "/", tokenArgument: "", authorization: "", isUpgrade: false) else {
            Issue.record("the page is served")
            return
        }
        #expect(page.contentType.hasPrefix("text/html"))
        #expect(String(decoding: page.bytes, as: UTF8.self).contains("live.js"))
        guard case .status(404, _) = gate.answer(path: "/v2", tokenArgument: "0123456789abcdef0123", authorization: "", isUpgrade: true)
        else { Issue.record("another path is 404"); return }
    }

    @Test func theEmbeddedPageIsInStepWithItsFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/embed_live_page.py").path, "--check"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "run scripts/embed_live_page.py after editing Sources/BytebitLive/Page")
        for name in ["/index.html", "/live.js", "/live.css"] {
            #expect(LivePage.bundled.file(at: name) != nil, "\(name) is served")
        }
    }
}
