/// The TeX words the parser knows, by role.
enum MathVocabulary {
    static let greek: Set<String> = [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
        "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "varpi", "rho", "varrho", "sigma",
        "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
        "ell", "imath", "jmath", "hbar", "infty", "aleph", "emptyset", "varnothing", "top", "intercal",
    ]

    /// Unicode letters written directly, mapped to the command that draws them.
    static let unicodeLetters: [Unicode.Scalar: String] = {
        var map: [Unicode.Scalar: String] = [:]
        let pairs: [(String, String)] = [
            ("α", "alpha"), ("β", "beta"), ("γ", "gamma"), ("δ", "delta"), ("ε", "varepsilon"), ("ϵ", "epsilon"),
            ("ζ", "zeta"), ("η", "eta"), ("θ", "theta"), ("ϑ", "vartheta"), ("ι", "iota"), ("κ", "kappa"),
            ("λ", "lambda"), ("μ", "mu"), ("ν", "nu"), ("ξ", "xi"), ("π", "pi"), ("ϖ", "varpi"), ("ρ", "rho"),
            ("ϱ", "varrho"), ("σ", "sigma"), ("ς", "varsigma"), ("τ", "tau"), ("υ", "upsilon"), ("φ", "varphi"),
            ("ϕ", "phi"), ("χ", "chi"), ("ψ", "psi"), ("ω", "omega"), ("Γ", "Gamma"), ("Δ", "Delta"),
            ("Θ", "Theta"), ("Λ", "Lambda"), ("Ξ", "Xi"), ("Π", "Pi"), ("Σ", "Sigma"), ("Φ", "Phi"),
            ("Ψ", "Psi"), ("Ω", "Omega"), ("∞", "infty"), ("∂", "partial"), ("∇", "nabla"), ("·", "cdot"),
            ("×", "times"), ("⊙", "odot"), ("≈", "approx"), ("≤", "leq"), ("≥", "geq"), ("≠", "neq"),
            ("∑", "sum"), ("∏", "prod"), ("…", "dots"), ("⋯", "cdots"), ("⋮", "vdots"), ("ℓ", "ell"),
            ("∝", "propto"), ("≡", "equiv"), ("⊤", "top"), ("∗", "ast"),
        ]
        for (character, name) in pairs {
            if let scalar = character.unicodeScalars.first { map[scalar] = name }
        }
        return map
    }()

    /// Functions written as commands, applied to what follows.
    static let functions: Set<String> = [
        "exp", "log", "ln", "lg", "sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh", "coth",
        "arcsin", "arccos", "arctan", "max", "min", "sup", "inf", "det", "dim", "ker", "arg", "deg", "gcd",
        "Pr", "lim", "limsup", "liminf", "argmax", "argmin", "softmax", "sgn", "tr", "diag", "Var", "Cov", "E",
    ]

    static let relations: [String: MathRelationKind] = [
        "approx": .approximate, "simeq": .approximate, "thickapprox": .approximate, "equiv": .equivalent,
        "coloneqq": .definition, "coloneq": .definition, "triangleq": .definition, "eqqcolon": .definition,
        "defeq": .definition, "doteq": .definition,
        "ne": .notEqual, "neq": .notEqual, "lt": .less, "gt": .greater,
        "le": .lessOrEqual, "leq": .lessOrEqual, "leqslant": .lessOrEqual,
        "ge": .greaterOrEqual, "geq": .greaterOrEqual, "geqslant": .greaterOrEqual,
        "propto": .proportional, "sim": .similar, "implies": .implies, "Rightarrow": .implies, "rightarrow": .implies, "longrightarrow": .implies,
        "Longrightarrow": .implies, "leftarrow": .update, "gets": .update, "longleftarrow": .update,
    ]

    /// Commands that only change spacing or style; ignored everywhere.
    static let ignored: Set<String> = [
        ",", ":", ";", "!", " ", ">", "enspace", "thinspace", "medspace", "thickspace", "negthinspace",
        "negmedspace", "negthickspace", "nobreak", "allowbreak", "displaystyle", "textstyle", "scriptstyle",
        "scriptscriptstyle", "limits", "nolimits", "nonumber", "notag", "hline", "middle", "rm", "it", "bf",
        "sf", "tt", "cal", "strut", "nolinebreak", "hfill", "mathstrut",
        "tiny", "small", "normalsize", "large", "Large", "LARGE", "huge", "Huge", "footnotesize", "scriptsize",
    ]

    /// Spacing wide enough to separate statements: `a = b \quad c = d`.
    static let wideSpaces: Set<String> = ["quad", "qquad"]

    /// Commands whose brace argument is text, not math.
    static let rawArgument: Set<String> = [
        "text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox", "hbox",
        "operatorname", "label", "tag", "eqref", "ref", "hspace", "vspace", "color", "textcolor",
        "mkern", "kern", "mskip", "hskip", "phantom", "hphantom", "vphantom", "require",
    ]

    /// Commands taking a raw argument that draws nothing to reckon with (`\require{cancel}` is MathJax's).
    static let invisibleWithArgument: Set<String> = [
        "hspace", "vspace", "color", "mkern", "kern", "mskip", "hskip", "phantom", "hphantom", "vphantom", "require",
    ]

    static let fonts: [String: MathSymbol.Style] = [
        "mathbf": .bold, "boldsymbol": .bold, "bm": .bold, "mathbfit": .bold, "pmb": .bold,
        "mathcal": .calligraphic, "mathscr": .script, "mathbb": .blackboard, "mathrm": .roman,
        "mathsf": .sansSerif, "mathfrak": .fraktur, "mathit": .italic, "mathtt": .typewriter,
    ]

    static let decorations: [String: MathSymbol.Decoration] = [
        "hat": .hat, "widehat": .hat, "bar": .bar, "overline": .bar, "tilde": .tilde, "widetilde": .tilde,
        "vec": .vector, "overrightarrow": .vector, "dot": .dot, "ddot": .doubleDot, "check": .check,
        "widecheck": .check, "breve": .breve,
    ]

    static let elisions: [String: Elision] = [
        "dots": .horizontal, "ldots": .horizontal, "dotsc": .horizontal, "dotso": .horizontal,
        "cdots": .centered, "dotsb": .centered, "dotsm": .centered, "dotsi": .centered,
        "vdots": .vertical, "ddots": .diagonal,
    ]

    /// Opening delimiters written as commands (`\{`, `\langle`), with what they open.
    static let openingCommands: [String: Delimiter] = [
        "{": .bracket(.brace), "lbrace": .bracket(.brace), "langle": .bracket(.angle),
        "lvert": .bar, "lVert": .doubleBar, "|": .doubleBar, "Vert": .doubleBar, "vert": .bar,
        "lbrack": .bracket(.square), "lparen": .bracket(.parenthesis),
    ]

    static let closingCommands: [String: Delimiter] = [
        "}": .bracket(.brace), "rbrace": .bracket(.brace), "rangle": .bracket(.angle),
        "rvert": .bar, "rVert": .doubleBar, "|": .doubleBar, "Vert": .doubleBar, "vert": .bar,
        "rbrack": .bracket(.square), "rparen": .bracket(.parenthesis),
    ]

    /// Sizing prefixes of delimiters.
    static let delimiterSizes: Set<String> = [
        "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
        "Biggl", "Biggr", "bigm", "Bigm",
    ]

    /// Environments that hold rows of statements rather than a matrix.
    static let statementEnvironments: Set<String> = [
        "equation", "equation*", "align", "align*", "aligned", "alignat", "alignat*", "alignedat", "gather",
        "gather*", "gathered", "split", "multline", "multline*", "eqnarray", "eqnarray*", "flalign", "flalign*",
        "displaymath", "math",
    ]

    /// Environments whose `&` mark alignment points: every second `&` separates columns of statements.
    static let alignmentEnvironments: Set<String> = [
        "align", "align*", "aligned", "alignat", "alignat*", "alignedat", "split", "flalign", "flalign*",
        "eqnarray", "eqnarray*",
    ]

    static let matrixEnvironments: Set<String> = [
        "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "array", "cases",
        "matrix*", "pmatrix*", "bmatrix*", "darray", "dcases", "rcases",
    ]
}

extension MathVocabulary {
    /// Every command the parser knows, with its flags and kind, built once.
    static let commands: [String: (flags: MathToken.Flags, kind: CommandKind)] = {
        var table: [String: (flags: MathToken.Flags, kind: CommandKind)] = [:]
        func add(_ name: String, _ flags: MathToken.Flags = [], _ kind: CommandKind? = nil) {
            var entry = table[name] ?? ([], .other)
            entry.flags.formUnion(flags)
            if let kind { entry.kind = kind }
            table[name] = entry
        }
        for name in greek { add(name, [], .letter) }
        for (name, elision) in elisions { add(name, [], .elision(elision)) }
        for (name, delimiter) in openingCommands { add(name, [], .opening(delimiter)) }
        for (name, style) in fonts { add(name, [], .font(style)) }
        for (name, decoration) in decorations { add(name, [], .decoration(decoration)) }
        for name in functions { add(name, [], .function) }
        for name in ["frac", "dfrac", "tfrac", "cfrac"] { add(name, [], .fraction) }
        add("sqrt", [], .root)
        add("sum", [], .bigOperator(.sum))
        add("prod", [], .bigOperator(.product))
        add("nabla", [], .nabla)
        add("partial", [], .partial)
        add("operatorname", [], .operatorName)
        for name in ["text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox", "hbox"] {
            add(name, [], .text)
        }
        add("left", [.opener], .left)
        add("right", [.closer, .notFactor])
        for name in ["bigl", "Bigl", "biggl", "Biggl", "big", "Big", "bigg", "Bigg", "bigm", "Bigm"] { add(name, [], .sizer) }
        for name in ["int", "iint", "iiint", "oint", "intop"] { add(name, [], .integral) }
        add("prime", [], .prime)
        add("{", [.opener])
        add("langle", [.opener])
        add("}", [.closer])
        add("rangle", [.closer])
        for name in relations.keys { add(name, [.relation, .notFactor]) }
        for name in ["not", "stackrel", "overset"] { add(name, [.relation, .notFactor]) }
        for name in ["cdot", "centerdot", "bullet", "times", "ast", "odot", "circ", "otimes", "div", "pm", "mp"] {
            add(name, [.notFactor])
        }
        for name in ["}", "rbrace", "rangle", "rvert", "rVert", "\\", "because", "therefore", "quad", "qquad",
                     "rbrack", "rparen", "bigr", "Bigr", "biggr", "Biggr", "to", "mapsto", "in", "notin", "subset",
                     "subseteq", "rfloor", "rceil"] {
            add(name, [.notFactor])
        }
        for name in ignored { add(name, [.ignored]) }
        for name in invisibleWithArgument { add(name, [.invisibleWithArgument]) }
        for name in wideSpaces { add(name, [.wideSpace, .notFactor]) }
        for name in ["label", "tag", "because", "therefore", "text", "textrm", "mbox", "textit", "textnormal"] {
            add(name, [.mayBreakStatement])
        }
        add("|", [.doubleBar])
        add("Vert", [.doubleBar])
        add("vert", [.bar])
        return table
    }()

    /// `commands` and every other per-name fact the parser asks about, in a table
    /// looked up by the bytes of a name (no `String` is made per token).
    static let table: CommandTable = {
        var names = Set(commands.keys)
        names.formUnion(rawArgument)
        names.formUnion(relations.keys)
        names.formUnion(openingCommands.keys)
        names.formUnion(closingCommands.keys)
        names.formUnion(fonts.keys)
        names.formUnion(decorations.keys)
        names.formUnion(products.keys)
        names.formUnion(sizedClosers)
        var rows: [(String, CommandEntry)] = []
        for name in names.sorted() {
            let known = commands[name]
            rows.append((name, CommandEntry(
                flags: known?.flags ?? [], kind: known?.kind ?? .other, relation: relations[name],
                opening: openingCommands[name], closing: closingCommands[name],
                isFontOrDecoration: fonts[name] != nil || decorations[name] != nil,
                takesRawArgument: rawArgument.contains(name), product: products[name],
                isSizedCloser: sizedClosers.contains(name))))
        }
        return CommandTable(rows)
    }()

    /// Commands for explicit products.
    static let products: [String: BinaryOperator] = [
        "cdot": .cdot, "centerdot": .cdot, "bullet": .cdot, "times": .times, "ast": .asterisk,
        "odot": .hadamard, "circ": .hadamard, "otimes": .outer, "div": .slash,
    ]

    /// Sizing commands that may come before a closing delimiter (`\bigr)`).
    static let sizedClosers: Set<String> = ["bigr", "Bigr", "biggr", "Biggr", "big", "Big", "bigg", "Bigg"]
}

/// Everything the parser needs to know about one command name.
struct CommandEntry: Sendable {
    var flags: MathToken.Flags
    var kind: CommandKind
    /// `MathVocabulary.relations[name]`
    var relation: MathRelationKind?
    /// `MathVocabulary.openingCommands[name]`
    var opening: Delimiter?
    /// `MathVocabulary.closingCommands[name]`
    var closing: Delimiter?
    /// In `MathVocabulary.fonts` or `MathVocabulary.decorations`.
    var isFontOrDecoration: Bool
    /// In `MathVocabulary.rawArgument`.
    var takesRawArgument: Bool
    /// `MathVocabulary.products[name]`
    var product: BinaryOperator?
    /// In `MathVocabulary.sizedClosers`.
    var isSizedCloser: Bool
}

/// An open-addressing hash table from name bytes to `CommandEntry`, built once.
struct CommandTable: Sendable {
    let entries: [CommandEntry]
    private let names: [UInt8]
    /// `names[nameStarts[i]..<nameStarts[i + 1]]` is the name of `entries[i]`.
    private let nameStarts: [Int]
    /// Entry index + 1 per slot; 0 is empty.
    private let slots: [Int32]
    private let mask: Int
    /// The same rows by name, for names with non-ASCII bytes (compared as `String`s are).
    private let byName: [String: Int]

    init(_ rows: [(String, CommandEntry)]) {
        var size = 64
        while size < rows.count * 4 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        var names: [UInt8] = []
        var nameStarts: [Int] = [0]
        for (index, row) in rows.enumerated() {
            let bytes = Array(row.0.utf8)
            names += bytes
            nameStarts.append(names.count)
            var slot = Self.hash(bytes, 0, bytes.count) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(index + 1)
        }
        self.entries = rows.map(\.1)
        self.names = names
        self.nameStarts = nameStarts
        self.slots = slots
        self.mask = size - 1
        var byName: [String: Int] = [:]
        for (index, row) in rows.enumerated() { byName[row.0] = index }
        self.byName = byName
    }

    @inline(__always)
    private static func hash(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
        var hash: UInt32 = 2_166_136_261
        for index in start..<end {
            hash = (hash ^ UInt32(bytes[index])) &* 16_777_619
        }
        return Int(hash ^ (hash >> 15))
    }

    /// The row of the name `bytes[start..<end]`, or -1.
    func find(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
        precondition(start >= 0 && start <= end && end <= bytes.count)
        return bytes.withUnsafeBufferPointer { buffer in
            find(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    /// The row of the name `name`, or -1.
    func find(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        let count = name.count
        var hash: UInt32 = 2_166_136_261
        var high: UInt8 = 0
        for byte in name {
            high |= byte
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        if high >= 0x80 {
            return byName[String(decoding: name, as: UTF8.self)] ?? -1
        }
        guard count > 0, count <= 32 else { return -1 }
        return names.withUnsafeBufferPointer { names in
            slots.withUnsafeBufferPointer { slots in
                nameStarts.withUnsafeBufferPointer { nameStarts in
                    var slot = Int(hash ^ (hash >> 15)) & mask
                    while true {
                        let stored = Int(slots[slot])
                        if stored == 0 { return -1 }
                        let nameStart = nameStarts[stored - 1]
                        if nameStarts[stored] - nameStart == count {
                            var same = true
                            for offset in 0..<count where names[nameStart + offset] != name[offset] {
                                same = false
                                break
                            }
                            if same { return stored - 1 }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }
}

/// What a delimiter opens or closes.
enum Delimiter: Sendable, Equatable {
    case bracket(MathBracket)
    /// `|` or `\lvert`
    case bar
    /// `\|` or `\lVert`
    case doubleBar
}
