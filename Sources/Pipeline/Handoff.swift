/// Carries a value that is used by one thread at a time across a thread hop.
final class Handoff<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
