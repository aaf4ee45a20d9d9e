import MathSyntax

/// The LaTeX parser: any bytes, read as the TeX of one piece of math.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let tex = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let parsed = MathParser.parse(tex)
    var total = parsed.diagnostics.count
    if let expression = parsed.expression { total &+= expression.plain.utf8.count &+ expression.latex.utf8.count }
    return total == -1 ? 1 : 0
}
