import Testing
@testable import Pipeline

@Suite struct FormulaGuardTests {
    @Test(arguments: [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"), ("@cmd", "'@cmd"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"), ("\tindent", "'\tindent"), ("\rx", "'\rx"),
        ("+61412345678", "+61412345678"), ("-12.5", "-12.5"), ("+3.25e4", "+3.25e4"), ("-", "'-"),
        ("plain", "plain"), ("", ""), ("a=b", "a=b"),
    ])
    func neutralisesFormulasButNotNumbers(input: String, expected: String) {
        #expect(FormulaGuard.neutralise(input) == expected)
    }
}
