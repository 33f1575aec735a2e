import Testing
@testable import ContactModel

@Test func ContactModelModuleLoads() {
    #expect(Bool(true))
}
