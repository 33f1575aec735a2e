/// One given name or family name: how it is shown in the file, and the ASCII
/// slug used to build its owner's email address.
struct NamePart: Sendable {
    let display: [UInt8]
    let slug: [UInt8]

    init(_ display: String, _ slug: String) {
        self.display = Array(display.utf8)
        self.slug = Array(slug.utf8)
    }

    init(_ ascii: String) {
        self.display = Array(ascii.utf8)
        self.slug = Array(ascii.lowercased().utf8)
    }
}

/// The fixed word lists the generator draws names and email domains from.
/// Plain English names dominate; accented (é, ü, ñ) and CJK (王, 李, 佐藤) names are
/// mixed in so that readers and normalisers meet real Unicode.
struct NamePools: Sendable {
    /// Which list a contact's names come from.
    enum Script: Sendable {
        case plain, accented, cjk
    }

    let plainFirst: [NamePart] = [
        "James", "Olivia", "Jack", "Charlotte", "William", "Amelia", "Noah", "Isla", "Thomas", "Mia",
        "Oliver", "Ava", "Lucas", "Grace", "Henry", "Chloe", "Ethan", "Sophie", "Liam", "Emily",
        "Mason", "Ruby", "Leo", "Zoe", "Harper", "Daniel", "Ella", "Samuel", "Matilda", "Aarav",
        "Priya", "Mohammed", "Fatima", "Minh", "Linh", "Hannah", "Joshua", "Layla", "Cooper", "Evie",
        "Mary Ann", "Jean-Luc",
    ].map { NamePart($0) }

    let plainLast: [NamePart] = [
        "Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Johnson", "White", "Martin", "Anderson",
        "Thompson", "Nguyen", "Thomas", "Walker", "Harris", "Lee", "Ryan", "Robinson", "Kelly", "King",
        "Davies", "Singh", "Patel", "Kaur", "Chen", "Murphy", "Campbell", "Mitchell", "Clarke", "Young",
        "Wright", "Tran", "Papadopoulos", "Rossi", "Van der Berg", "Smith-Jones",
    ].map { NamePart($0) } + [NamePart("O'Brien", "obrien"), NamePart("D'Angelo", "dangelo")]

    let accentedFirst: [NamePart] = [
        NamePart("Zoë", "zoe"), NamePart("Chloé", "chloe"), NamePart("José", "jose"), NamePart("Renée", "renee"),
        NamePart("Jürgen", "jurgen"), NamePart("Begoña", "begona"), NamePart("Ñuño", "nuno"),
        NamePart("Amélie", "amelie"), NamePart("Søren", "soren"), NamePart("Łukasz", "lukasz"),
        NamePart("Inés", "ines"), NamePart("François", "francois"),
    ]

    let accentedLast: [NamePart] = [
        NamePart("Müller", "muller"), NamePart("Peña", "pena"), NamePart("Muñoz", "munoz"),
        NamePart("Lefèvre", "lefevre"), NamePart("Gómez", "gomez"), NamePart("Björk", "bjork"),
        NamePart("Núñez", "nunez"), NamePart("Dvořák", "dvorak"), NamePart("Öztürk", "ozturk"),
        NamePart("García", "garcia"),
    ]

    let cjkFirst: [NamePart] = [
        NamePart("伟", "wei"), NamePart("芳", "fang"), NamePart("娜", "na"), NamePart("秀英", "xiuying"),
        NamePart("花子", "hanako"), NamePart("翔太", "shota"), NamePart("陽菜", "hina"), NamePart("민준", "minjun"),
    ]

    let cjkLast: [NamePart] = [
        NamePart("王", "wang"), NamePart("李", "li"), NamePart("张", "zhang"), NamePart("佐藤", "sato"),
        NamePart("鈴木", "suzuki"), NamePart("高橋", "takahashi"), NamePart("김", "kim"), NamePart("陈", "chen"),
    ]

    /// Email domains; the common ones appear more than once to weight them.
    let domains: [[UInt8]] = [
        "gmail.com", "gmail.com", "gmail.com", "outlook.com", "hotmail.com", "hotmail.com", "yahoo.com.au",
        "bigpond.com", "icloud.com", "optusnet.com.au", "example.org", "company.com.au", "uni.edu.au",
        "live.com.au", "proton.me",
    ].map { Array($0.utf8) }

    func firstNames(_ script: Script) -> [NamePart] {
        switch script {
        case .plain: return plainFirst
        case .accented: return accentedFirst
        case .cjk: return cjkFirst
        }
    }

    func lastNames(_ script: Script) -> [NamePart] {
        switch script {
        case .plain: return plainLast
        case .accented: return accentedLast
        case .cjk: return cjkLast
        }
    }
}
