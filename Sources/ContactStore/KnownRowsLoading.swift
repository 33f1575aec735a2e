/// Whether an import into a store that has contacts loads the store's known rows (see
/// `KnownRows`), which let the reader skip rows already applied unchanged.
///
/// Loading them costs about 0.4 µs and 40 bytes per stored contact and pays back a few µs per
/// row skipped, so only a file of a good part of the store's size gains. Measured with the
/// 1M-row bench file's 885,292 contacts in the store, dry runs of its first rows, loading
/// them / not: 2 rows 0.37–0.50 / 0.07 s; 100k rows 1.46–1.50 / 1.07–1.27 s (141 / 88 MB);
/// 300k rows 2.11–2.25 / 1.97–2.07 s (160 / 92 MB); all 1M rows 1.42–1.54 / 3.27–3.69 s.
public enum KnownRowsLoading: Sendable, Equatable {
    case always
    case never
    /// Load them when a file of about `rows` rows is big enough, against the store, to pay:
    /// from 40% of the store's contacts.
    case ifWorthIt(rows: Int)

    /// Whether to load them into a store of `storedContacts` contacts.
    public func shouldLoad(storedContacts: Int) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .ifWorthIt(let rows): return rows * 5 >= storedContacts * 2
        }
    }
}
