/// One row of a table, as a reader hands it out.
public struct Row: Sendable, Equatable {
    /// The row's number as the user sees it: 1-based, as Excel numbers rows,
    /// or the CSV record number (the header is record 1).
    public var number: Int
    /// The line in the file where the record starts (CSV only; equals `number` elsewhere).
    public var line: Int
    /// Cells from column A onward; a short row simply has fewer cells.
    public var cells: [Cell]

    public init(number: Int, line: Int? = nil, cells: [Cell]) {
        self.number = number
        self.line = line ?? number
        self.cells = cells
    }
}
