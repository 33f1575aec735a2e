import Testing
@testable import ContactModel

@Suite struct PhoneNumberTests {
    let au = PhoneNumber.Region.known["AU"]!

    @Test(arguments: ["0412 345 678", "+61 412 345 678", "61412345678", "(04) 1234 5678", "412345678", "0412-345-678", "+61 (0)412 345 678", "0061 412 345 678"])
    func australianFormsBecomeE164(raw: String) {
        #expect(PhoneNumber.normalise(raw, region: au) == "+61412345678")
    }

    @Test(arguments: ["12345", "call me", "0412 345 678 ext 2", "+61 412", "04123456789012345678"])
    func unreadableNumbersAreNil(raw: String) {
        #expect(PhoneNumber.normalise(raw, region: au) == nil)
    }

    @Test func otherCountriesKeepTheirCode() {
        #expect(PhoneNumber.normalise("+44 7700 900123", region: au) == "+447700900123")
        #expect(PhoneNumber.normalise("07700 900123", region: PhoneNumber.Region.known["GB"]!) == "+447700900123")
    }
}
