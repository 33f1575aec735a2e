import Testing
@testable import Pipeline

@Test func PipelineModuleLoads() {
    #expect(Bool(true))
}
