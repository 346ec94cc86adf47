import Foundation

/// A value produced on another thread, awaited with a deadline (never a fixed sleep).
final class Eventually<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Value?

    func fulfil(_ newValue: Value) {
        condition.lock()
        if value == nil { value = newValue }
        condition.broadcast()
        condition.unlock()
    }

    /// The value, or nil when `timeout` passes first.
    func wait(timeout: TimeInterval) -> Value? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while value == nil {
            if !condition.wait(until: deadline) { break }
        }
        return value
    }
}

/// Shared mutable state for test handlers, with waiting on a predicate until a deadline.
final class Guarded<State>: @unchecked Sendable {
    private let condition = NSCondition()
    private var state: State

    init(_ state: State) { self.state = state }

    func mutate<R>(_ body: (inout State) -> R) -> R {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return body(&state)
    }

    func read<R>(_ body: (State) -> R) -> R {
        condition.lock()
        defer { condition.unlock() }
        return body(state)
    }

    /// True once `predicate` holds; false if `timeout` passes first.
    func wait(timeout: TimeInterval, until predicate: (State) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !predicate(state) {
            if !condition.wait(until: deadline) { return predicate(state) }
        }
        return true
    }
}
