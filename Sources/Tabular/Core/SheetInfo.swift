/// A sheet of a workbook as listed in the workbook itself.
public struct SheetInfo: Sendable, Equatable {
    /// What kind of sheet it is; only worksheets hold cells.
    public enum Kind: Sendable, Equatable {
        case worksheet
        case chartsheet
        case other
    }

    /// Whether a user sees the sheet's tab.
    public enum Visibility: Sendable, Equatable {
        case visible
        case hidden
        case veryHidden
    }

    /// The sheet's name as shown on its tab.
    public var name: String
    /// 0-based position in the workbook.
    public var index: Int
    public var kind: Kind
    public var visibility: Visibility

    public init(name: String, index: Int, kind: Kind = .worksheet, visibility: Visibility = .visible) {
        self.name = name
        self.index = index
        self.kind = kind
        self.visibility = visibility
    }
}
