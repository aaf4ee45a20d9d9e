import Backprop
import Diagnostics
import Foundation
import MathSyntax
import Notebook

extension VerifierRun {
    // MARK: Index variables

    /// Index variables written in the indices of either side, not bound by a sum and not a known number.
    func freeIndexVariables(_ left: MathExpression, _ right: MathExpression) -> [String] {
        let names = analysis.indexVariables(in: left).union(analysis.indexVariables(in: right))
        return names.filter { name in
            let symbol = MathSymbol(name: name)
            if let network = scope.network, network.role(ofBaseKey: symbol.baseKey) == .layers { return false }
            return !scope.isBound(symbol.key) && scope.functions[symbol.key] == nil
        }.sorted()
    }

    /// Every combination of index values to try: layer positions of the network's
    /// families range over their layers, other positions over 1…the largest size.
    func indexTuples(for variables: [String], in expressions: [MathExpression]) -> [[Int]] {
        guard !variables.isEmpty else { return [[]] }
        let largest = max(
            scope.network?.widths.max() ?? 0,
            analysis.arrayShapes.values.map { max($0.rows, $0.columns) }.max() ?? 0,
            NoteAnalysis.defaultVectorLength
        )
        // Layer positions constrain a variable to the layers that exist there.
        var layerRanges: [String: ClosedRange<Int>] = [:]
        if let network = scope.network {
            for expression in expressions {
                expression.forEachNode { node in
                    guard case .symbol(let symbol) = node.kind, let role = network.role(ofBaseKey: symbol.baseKey),
                          let layers = network.layers(of: role), let first = symbol.indices.first,
                          let (name, offset) = Self.variablePlusOffset(first) else { return }
                    let allowed = (layers.lowerBound - offset)...(layers.upperBound - offset)
                    if let current = layerRanges[name] {
                        let low = max(current.lowerBound, allowed.lowerBound)
                        let high = min(current.upperBound, allowed.upperBound)
                        layerRanges[name] = low <= high ? low...high : low...low
                    } else {
                        layerRanges[name] = allowed
                    }
                }
            }
        }
        // g is the hidden layers' activation: a layer variable under g or g' names a hidden layer.
        if let network = scope.network {
            for expression in expressions {
                expression.forEachNode { node in
                    guard case .application(let function, let arguments) = node.kind else { return }
                    var head = function
                    if case .prime(let inner, _) = function.kind { head = inner }
                    guard let symbol = head.symbol, network.role(ofBaseKey: symbol.baseKey) == .activation else { return }
                    for argument in arguments {
                        argument.forEachNode { inner in
                            guard case .symbol(let layered) = inner.kind, let role = network.role(ofBaseKey: layered.baseKey),
                                  network.layers(of: role) != nil, let first = layered.indices.first,
                                  let (name, offset) = Self.variablePlusOffset(first), let current = layerRanges[name] else { return }
                            let high = min(current.upperBound, network.layerCount - 1 - offset)
                            let low = max(current.lowerBound, 1 - offset)
                            layerRanges[name] = low <= high ? low...high : low...low
                        }
                    }
                }
            }
        }
        var ranges: [String: ClosedRange<Int>] = [:]
        for variable in variables { ranges[variable] = layerRanges[variable] ?? 1...largest }
        var tuples: [[Int]] = [[]]
        for variable in variables {
            guard let range = ranges[variable] else { continue }
            var next: [[Int]] = []
            for tuple in tuples {
                for value in range { next.append(tuple + [value]) }
                if next.count > verifier.tupleLimit * 64 { break }
            }
            tuples = next
        }
        guard tuples.count > verifier.tupleLimit else { return tuples }
        // Past the limit, an even sample keeps the first and the last tuples.
        let stride = Double(tuples.count - 1) / Double(verifier.tupleLimit - 1)
        return (0..<verifier.tupleLimit).map { tuples[Int((Double($0) * stride).rounded())] }
    }

    /// `i` → (i, 0); `i+1` → (i, 1); `i-1` → (i, -1).
    static func variablePlusOffset(_ expression: MathExpression) -> (String, Int)? {
        switch expression.kind {
        case .symbol(let symbol) where symbol.indices.isEmpty && symbol.label == nil:
            return (symbol.name, 0)
        case .binary(let operation, let left, let right) where operation == .add || operation == .subtract:
            guard let name = left.symbol?.name, case .number(let text) = right.kind, let value = Int(text) else { return nil }
            return (name, operation == .add ? value : -value)
        default:
            return nil
        }
    }
}
