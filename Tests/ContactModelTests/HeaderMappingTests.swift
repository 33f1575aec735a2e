import Testing
@testable import ContactModel

@Suite struct HeaderMappingTests {
    @Test(arguments: ["Email", "E-mail", "Email Address", "email_address", "EMAIL ADDRESS", " e-mail "])
    func emailAliases(label: String) throws {
        let m = try HeaderMapping(header: [label])
        #expect(m.fields == [.email])
    }

    /// Headers as CRM and form exports write them (HubSpot, Mailchimp, Salesforce, Google Forms).
    @Test(arguments: [
        ("Email 1", ContactField.email), ("Primary Email", .email), ("Work Email", .email), ("Your email address", .email),
        ("Given names", .firstName), ("Your first name", .firstName), ("Your last name", .lastName), ("Your name", .fullName),
        ("Mobile Phone Number", .mobile), ("Cell Number", .mobile), ("Phone (Mobile)", .mobile), ("Contact number", .mobile),
        ("Phone No.", .mobile), ("SMS number", .mobile),
    ])
    func exportHeaders(label: String, field: ContactField) throws {
        let m = try HeaderMapping(header: field == .email ? [label] : ["Email", label])
        #expect(m.fields.last == field)
    }

    @Test func coreAliasesAndProperties() throws {
        let m = try HeaderMapping(header: ["Given name", "Surname", "Family name", "Mobile Number", "Cell", "Contact Type", "E-mail", "Favourite Colour", "", "Favourite colour"])
        #expect(m.fields[0] == .firstName)
        #expect(m.fields[1] == .lastName)
        #expect(m.fields[2] == .property(key: "family_name", label: "Family name"))
        #expect(m.fields[3] == .mobile)
        #expect(m.fields[4] == .property(key: "cell", label: "Cell"))
        #expect(m.fields[5] == .contactType)
        #expect(m.fields[6] == .email)
        #expect(m.fields[7] == .property(key: "favourite_colour", label: "Favourite Colour"))
        #expect(m.fields[8] == .property(key: "column_i", label: "I"))
        #expect(m.fields[9] == .property(key: "favourite_colour_2", label: "Favourite colour"))
    }

    /// An export names columns by these keys: a property must not hide behind one.
    @Test func aPropertyNeverTakesTheNameOfAStoreColumn() throws {
        let m = try HeaderMapping(header: ["Email", "First Name", "Email", "Created At", "Updated at", "first name"])
        #expect(m.fields[0] == .email)
        #expect(m.fields[1] == .firstName)
        #expect(m.fields[2] == .property(key: "email_2", label: "Email"))
        #expect(m.fields[3] == .property(key: "created_at_2", label: "Created At"))
        #expect(m.fields[4] == .property(key: "updated_at_2", label: "Updated at"))
        #expect(m.fields[5] == .property(key: "first_name_2", label: "first name"))
    }

    @Test func overridesWin() throws {
        let m = try HeaderMapping(header: ["Correo", "Mob", "Notes"], overrides: ["correo": "email", "MOB": "mobile", "Notes": "ignore"])
        #expect(m.fields == [.email, .mobile, .ignored])
    }

    @Test func noEmailColumnNamesTheColumnsFound() {
        #expect(throws: HeaderMapping.Problem.noEmailColumn(found: ["Name", "Phone"])) {
            try HeaderMapping(header: ["Name", "Phone"])
        }
        let message = HeaderMapping.Problem.noEmailColumn(found: ["Name", "Phone"]).description
        #expect(message.contains("\"Name\", \"Phone\""))
    }
}
