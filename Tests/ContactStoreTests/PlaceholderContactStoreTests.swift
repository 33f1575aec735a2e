import Testing
@testable import ContactStore

@Test func ContactStoreModuleLoads() {
    #expect(Bool(true))
}
