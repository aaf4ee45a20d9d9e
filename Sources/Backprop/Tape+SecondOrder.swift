extension Tape {
    /// Records the backward pass of a scalar graph as new nodes, so the gradients can
    /// be evaluated, re-evaluated with new leaves, and differentiated again.
    ///
    /// ```swift
    /// let x = try tape.variable(2)
    /// let y = try x.power(3)
    /// let dy = try tape.gradientNodes(of: y, withRespectTo: [x])[0]      // 3x² = 12
    /// let d2y = try tape.gradient(of: dy, withRespectTo: [x])[0]         // 6x = 12
    /// ```
    public func gradientNodes(of output: Node, withRespectTo nodes: [Node]) throws(BackpropError) -> [Node] {
        let o = Int(try check(output))
        for node in nodes { _ = try check(node) }
        var adjoint = [Node?](repeating: nil, count: o + 1)
        adjoint[o] = try constant(1)
        func add(_ a: Int32, _ contribution: Node) throws(BackpropError) {
            let i = Int(a)
            adjoint[i] = try adjoint[i].map { existing throws(BackpropError) in try existing + contribution } ?? contribution
        }
        for i in stride(from: o, through: 0, by: -1) {
            guard let g = adjoint[i] else { continue }
            guard shapes[i].isScalar else { throw .unsupported("gradients of gradients are for scalar graphs; node \(i) is \(shapes[i])") }
            let me = Node(tape: self, index: Int32(i))
            func node(_ a: Int32) -> Node { Node(tape: self, index: a) }
            switch operations[i] {
            case .leaf: break
            case let .add(a, b): try add(a, g); try add(b, g)
            case let .subtract(a, b): try add(a, g); try add(b, -g)
            case let .multiply(a, b): try add(a, g * node(b)); try add(b, g * node(a))
            case let .divide(a, b):
                try add(a, g / node(b))
                try add(b, -(g * me / node(b)))
            case let .power(a, b):
                try add(a, g * node(b) * node(a).power(node(b) - 1))
                if (values[offsets[Int(a)]]) > 0 { try add(b, g * me * node(a).log()) }
            case let .powerConstant(a, c):
                if c != 0 { try add(a, g * c * node(a).power(c - 1)) }
            case let .negate(a): try add(a, -g)
            case let .function(f, a):
                let x = node(a)
                switch f {
                case .exp: try add(a, g * me)
                case .log: try add(a, g / x)
                case .sqrt: try add(a, g * 0.5 / me)
                case .abs: try add(a, g * x.apply(.sign))
                case .sin: try add(a, g * x.cos())
                case .cos: try add(a, -(g * x.sin()))
                case .tanh: try add(a, g * (1 - me.squared()))
                case .sigmoid: try add(a, g * me * (1 - me))
                case .relu: try add(a, g * x.apply(.step))
                case .sign, .step: break
                }
            case let .maximum(a, b), let .minimum(a, b):
                // The selected operand gets the gradient; selection itself has slope 0.
                let shareA = try 1 - (me - node(a)).abs().apply(.step)   // 1 where a is selected (or tied)
                let shareB = try 1 - (me - node(b)).abs().apply(.step)
                let total = try shareA + shareB
                try add(a, g * shareA / total)
                try add(b, g * shareB / total)
            case let .sum(a), let .mean(a):
                try add(a, g)
            case let .norm(a, kind):
                let x = node(a)
                switch kind {
                case .l1: try add(a, g * x.apply(.sign))
                case .l2: try add(a, g * x / me)
                case .squaredL2: try add(a, g * 2 * x)
                }
            default:
                throw .unsupported("second-order gradient through \(operations[i].name)")
            }
        }
        var result: [Node] = []
        for node in nodes {
            let i = Int(node.index)
            if i <= o, let g = adjoint[i] { result.append(g) } else { result.append(try constant(0)) }
        }
        return result
    }
}
