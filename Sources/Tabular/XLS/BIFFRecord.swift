/// One BIFF record: its type and its body, which points into the reader's buffer and
/// stays valid only until the reader moves on.
struct BIFFRecord {
    var type: UInt16
    var body: UnsafeRawBufferPointer

    @inline(__always) var count: Int { body.count }

    @inline(__always) func u8(_ offset: Int) -> Int { Int(body[offset]) }

    @inline(__always) func u16(_ offset: Int) -> Int {
        Int(UInt16(littleEndian: body.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    @inline(__always) func u32(_ offset: Int) -> UInt32 {
        UInt32(littleEndian: body.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always) func f64(_ offset: Int) -> Double {
        Double(bitPattern: UInt64(littleEndian: body.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
    }

    /// The bytes from `offset` to the end (empty when `offset` is past it).
    @inline(__always) func tail(_ offset: Int) -> UnsafeRawBufferPointer {
        guard offset < body.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: body[offset...])
    }
}

/// The BIFF record types we read (MS-XLS 2.3).
enum BIFFType {
    static let formula: UInt16 = 0x0006
    static let eof: UInt16 = 0x000A
    static let dateMode: UInt16 = 0x0022
    static let filePass: UInt16 = 0x002F
    static let `continue`: UInt16 = 0x003C
    static let codePage: UInt16 = 0x0042
    static let boundSheet: UInt16 = 0x0085
    static let mulRK: UInt16 = 0x00BD
    static let mulBlank: UInt16 = 0x00BE
    static let rString: UInt16 = 0x00D6
    static let dbCell: UInt16 = 0x00D7
    static let xf: UInt16 = 0x00E0
    static let sst: UInt16 = 0x00FC
    static let labelSST: UInt16 = 0x00FD
    static let blank: UInt16 = 0x0201
    static let number: UInt16 = 0x0203
    static let label: UInt16 = 0x0204
    static let boolErr: UInt16 = 0x0205
    static let string: UInt16 = 0x0207
    static let rk: UInt16 = 0x027E
    static let format: UInt16 = 0x041E
    static let bof: UInt16 = 0x0809
    static let bof2: UInt16 = 0x0009
    static let bof3: UInt16 = 0x0209
    static let bof4: UInt16 = 0x0409
}
