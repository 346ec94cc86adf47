import Foundation

/// A one-line JSON object of scalars read as raw token text (`"buy"` with its quotes, `0.10000000` with
/// its digits), so a test can compare numbers digit for digit; the line must also be valid JSON.
enum FlatJSONObject {
    static func tokens(_ line: Substring) throws -> [String: String] {
        guard (try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any] else {
            throw RecordingProblem("not a JSON object: \(line.prefix(200))")
        }
        var characters = Array(line)
        guard characters.first == "{", characters.last == "}" else { throw RecordingProblem("not an object: \(line)") }
        characters = Array(characters.dropFirst().dropLast())
        var result: [String: String] = [:]
        var index = 0
        func string() -> String {
            var text = "\""
            index += 1
            while index < characters.count {
                let character = characters[index]
                text.append(character)
                index += 1
                if character == "\\", index < characters.count {
                    text.append(characters[index])
                    index += 1
                } else if character == "\"" {
                    break
                }
            }
            return text
        }
        while index < characters.count {
            let key = string().dropFirst().dropLast()
            guard index < characters.count, characters[index] == ":" else { throw RecordingProblem("no colon in \(line)") }
            index += 1
            let value: String
            if characters[index] == "\"" {
                value = string()
            } else {
                let start = index
                while index < characters.count, characters[index] != "," { index += 1 }
                value = String(characters[start..<index])
            }
            result[String(key)] = value
            if index < characters.count, characters[index] == "," { index += 1 }
        }
        return result
    }
}
