/// What the generator wrote, by kind of row, so a benchmark can check its input.
struct GenerationStats {
    /// Rows with a new, valid address.
    var fresh = 0
    /// Rows repeating an earlier valid address (other case or spacing, other fields changed).
    var duplicates = 0
    /// Rows with a broken address.
    var invalid = 0
    /// Rows with an empty or blank address.
    var empty = 0

    var rows: Int { fresh + duplicates + invalid + empty }
}
