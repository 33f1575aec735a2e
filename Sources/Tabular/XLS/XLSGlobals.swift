/// What the workbook globals substream tells about the whole workbook: the BIFF
/// version, the date system, the code page, the sheets and where they start, the
/// shared strings, and which cell formats (XF records) show dates.
struct XLSGlobals {
    /// BIFF8 (Excel 97 and later) or BIFF5/7 (Excel 5.0/95).
    var isBIFF8 = true
    var is1904 = false
    var codePage = XLSCodePage(1252)
    var sheets: [SheetInfo] = []
    /// Stream offset of each sheet's BOF record, parallel to `sheets`.
    var sheetOffsets: [Int] = []
    var sharedStrings: [String] = []
    /// Per XF index: 0 not a date, 1 date/time, 2 elapsed time.
    var xfDateKinds: [UInt8] = []

    /// Reads the globals substream from the start of the workbook stream.
    /// `streamIsBook` says the stream was named "Book" (Excel 5.0/95).
    static func read(_ reader: BIFFRecordReader, streamIsBook: Bool, path: String) throws(TabularError) -> XLSGlobals {
        let location = TableLocation(path: path)
        guard let bof = try reader.next(),
              bof.type == BIFFType.bof || bof.type == BIFFType.bof2 || bof.type == BIFFType.bof3 || bof.type == BIFFType.bof4 else {
            throw .corrupt(location, detail: "the workbook stream does not start with a BOF record")
        }
        guard bof.type == BIFFType.bof else {
            throw .unsupportedFormat(path: path, what: "an Excel 2.x–4.x workbook, which is too old to read")
        }
        var g = XLSGlobals()
        let version = bof.count >= 2 ? bof.u16(0) : 0
        g.isBIFF8 = version >= 0x0600 || (version != 0x0500 && !streamIsBook)
        var formats: [Int: String] = [:]
        var xfFormats: [Int] = []
        var rawNames: [(offset: Int, visibility: Int, type: Int, name: [UInt8], compressed: Bool)] = []

        while let rec = try reader.next() {
            switch rec.type {
            case BIFFType.filePass:
                throw .passwordProtected(path: path)
            case BIFFType.codePage where rec.count >= 2:
                g.codePage = XLSCodePage(rec.u16(0))
            case BIFFType.dateMode where rec.count >= 2:
                g.is1904 = rec.u16(0) != 0
            case BIFFType.format where rec.count >= 3:
                let id = rec.u16(0)
                if g.isBIFF8 {
                    formats[id] = XLSStrings.unicode(rec, at: 2)
                } else {
                    let n = min(rec.u8(2), rec.count - 3)
                    formats[id] = g.codePage.decode(rec.tail(3).prefix(n).rebased)
                }
            case BIFFType.xf where rec.count >= 4:
                xfFormats.append(rec.u16(2))
            case BIFFType.boundSheet where rec.count >= 7:
                let n = rec.u8(6)
                if g.isBIFF8 {
                    guard rec.count >= 8 else { break }
                    let high = rec.u8(7) & 1 != 0
                    let bytes = Array(rec.tail(8).prefix(high ? 2 * n : n))
                    rawNames.append((Int(rec.u32(0)), rec.u8(4) & 3, rec.u8(5), bytes, !high))
                } else {
                    rawNames.append((Int(rec.u32(0)), rec.u8(4) & 3, rec.u8(5), Array(rec.tail(7).prefix(n)), true))
                }
            case BIFFType.sst:
                // Room for the whole table up front (it cannot outgrow the stream): untouched
                // capacity costs nothing, regrowing costs a copy and fresh pages each time.
                var data: [UInt8] = []
                data.reserveCapacity(min(reader.streamSize, 1 << 28))
                data.append(contentsOf: rec.body)
                var boundaries: [Int] = []
                while try reader.peekType() == BIFFType.continue {
                    guard let more = try reader.next() else { break }
                    boundaries.append(data.count)
                    data.append(contentsOf: more.body)
                }
                g.sharedStrings = try XLSSharedStrings.parse(data: data, boundaries: boundaries, location: location)
            case BIFFType.eof:
                return g.finish(formats: formats, xfFormats: xfFormats, rawNames: rawNames)
            default:
                break
            }
        }
        return g.finish(formats: formats, xfFormats: xfFormats, rawNames: rawNames)
    }

    private func finish(formats: [Int: String], xfFormats: [Int],
                        rawNames: [(offset: Int, visibility: Int, type: Int, name: [UInt8], compressed: Bool)]) -> XLSGlobals {
        var g = self
        var kindOfFormat: [Int: UInt8] = [:]
        g.xfDateKinds = xfFormats.map { id in
            if let known = kindOfFormat[id] { return known }
            let kind = formats[id].map(XLSDateFormat.classify) ?? XLSDateFormat.builtIn(id)
            let code: UInt8 = switch kind {
            case .none: 0
            case .dateTime?: 1
            case .elapsed?: 2
            }
            kindOfFormat[id] = code
            return code
        }
        for (i, raw) in rawNames.enumerated() {
            let name: String = raw.name.withUnsafeBytes { bytes in
                if !g.isBIFF8 { return g.codePage.decode(bytes) }
                var text = XLSTextBuilder()
                if raw.compressed { text.appendCompressed(bytes) } else { text.appendUTF16(bytes) }
                return text.makeString()
            }
            let kind: SheetInfo.Kind = switch raw.type {
            case 0: .worksheet
            case 2: .chartsheet
            default: .other
            }
            let visibility: SheetInfo.Visibility = switch raw.visibility {
            case 0: .visible
            case 1: .hidden
            default: .veryHidden
            }
            g.sheets.append(SheetInfo(name: name, index: i, kind: kind, visibility: visibility))
            g.sheetOffsets.append(raw.offset)
        }
        return g
    }
}

extension UnsafeRawBufferPointer.SubSequence {
    /// The slice as a buffer of its own.
    var rebased: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: self) }
}
