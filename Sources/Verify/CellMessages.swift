/// Every message about `nb` cells, in one place.
enum CellMessages {
    static func expectedKey(_ line: String) -> String {
        "expected `key: value` or `let name = value`, found '\(line)'"
    }

    static func unknownKey(_ key: String) -> String {
        "unknown cell key '\(key)'; known keys: network, activation, output, loss, init, seed, names, input, target, train, show, and `let`"
    }

    static func unknownValue(_ value: String, for key: String, allowed: [String]) -> String {
        "'\(value)' is not a known \(key); use one of: \(allowed.joined(separator: ", "))"
    }

    static func badNetwork(_ value: String) -> String {
        "expected layer widths such as `3 -> 5 -> 2` (at least two positive widths), found '\(value)'"
    }

    static func tooWide(_ width: Int, limit: Int) -> String {
        "a layer of \(width) neurons is over the limit of \(limit)"
    }

    static func badSeed(_ value: String) -> String {
        "expected a whole number from 0 to 18446744073709551615 as the seed, found '\(value)'"
    }

    static func badName(_ entry: String, roles: [String]) -> String {
        "expected `role TeX` such as `weights W`, found '\(entry)'; roles: \(roles.joined(separator: ", "))"
    }

    static func badNumbers(_ value: String) -> String {
        "expected a number or a list such as `[0.5, -1, 2]`, found '\(value)'"
    }

    static func badAssignment(_ text: String) -> String {
        "expected `let SYMBOL = NUMBER` or `let SYMBOL = [NUMBERS]`, found 'let \(text)'"
    }

    static func badTrain(_ item: String) -> String {
        "expected `key=value` options such as `steps=200 rate=0.1`, found '\(item)'"
    }

    static let emptyShow = "`show:` needs what to show: `plot F, G for X from A to B`, `paths W -> E`, or `graph E`"

    // MARK: show

    static func unknownShow(_ word: String) -> String {
        "nbrun cannot show '\(word)'; use `plot F, G for X from A to B`, `paths W -> E`, or `graph E`"
    }

    static func badPlot(_ text: String) -> String {
        "expected `plot F, G for X from A to B` (optionally `ylim=A..B`), found '\(text)'"
    }

    static let emptyPlotExpression = "an empty expression in the list of what to plot"

    static func notABound(_ text: String) -> String { "'\(text)' is not a number to plot from or to" }

    static func emptyRange(_ low: String, _ high: String) -> String {
        "the range from \(low) to \(high) is empty; write the smaller bound first"
    }

    static func unknownPlotOption(_ text: String) -> String { "unknown plot option '\(text)'; the only option is `ylim=A..B`" }

    static func badYLimits(_ text: String) -> String { "expected `ylim=A..B` with A < B, found '\(text)'" }

    static func unreadableMath(_ tex: String, _ reason: String) -> String { "cannot read '\(tex)' as math: \(reason)" }

    static func notAVariable(_ tex: String) -> String { "'\(tex)' is not a variable to plot against (write one symbol, such as `z` or `w_1`)" }

    static func freeSymbol(_ name: String, in tex: String, variable: String) -> String {
        "'\(tex)' uses \(name), which has no value here: a plot varies \(variable) only, so define \(name) above or give it a value with `let`"
    }

    static func cannotPlot(_ tex: String, _ reason: String) -> String { "cannot plot '\(tex)': \(reason)" }

    static func notAScalar(_ tex: String, _ rows: Int, _ columns: Int) -> String {
        "'\(tex)' is a \(rows)×\(columns) array, not a number, so it has no curve"
    }

    static func noFiniteValue(_ tex: String, _ variable: String, _ low: String, _ high: String) -> String {
        "'\(tex)' has no finite value for \(variable) from \(low) to \(high)"
    }

    static func badPaths(_ text: String) -> String { "expected `paths SYMBOL -> TARGET` such as `paths w_1 -> E`, found '\(text)'" }

    static func notInGraph(_ tex: String, _ names: String) -> String {
        "'\(tex)' is not a quantity of the definitions above; the computation graph has \(names)"
    }

    static let noGraph = "there are no scalar definitions above this cell to draw a computation graph of (define quantities such as `h = w x` in display math first)"

    static func noPath(_ from: String, _ to: String) -> String { "no path leads from \(from) to \(to) in the computation graph" }

    static func tooManyPaths(_ count: Int, limit: Int) -> String {
        "more than \(limit) paths lead there (\(count) found before stopping); a path sum that long is not worth drawing"
    }

    static func pathSumNotComputed(_ reason: String) -> String { "cannot compute the path sum: \(reason)" }

    static func pathSumHolds(_ terms: Int, _ total: String) -> String {
        "the sum over \(terms) path\(terms == 1 ? "" : "s") equals the gradient by backpropagation, \(total)"
    }

    static func pathSumDiffers(_ total: String, _ gradient: String) -> String {
        "the sum over paths is \(total) but backpropagation gives \(gradient)"
    }

    // MARK: train

    static func unknownTrainKey(_ key: String) -> String {
        "unknown training option '\(key)'; known: data, steps, rate, optimizer, batch, seed, points, noise"
    }

    static func unknownDataset(_ value: String) -> String {
        "'\(value)' is not a data set nbrun can make; use one of: xor, two-moons, spirals, circles"
    }

    static func unknownOptimizer(_ value: String) -> String { "'\(value)' is not an optimizer; use one of: sgd, momentum, adam" }

    static func badWholeNumber(_ key: String, _ value: String, limit: Int) -> String {
        "\(key) must be a whole number from 1 to \(limit), found '\(value)'"
    }

    static func badRate(_ value: String) -> String { "rate must be a positive number, found '\(value)'" }

    static func badNoise(_ value: String) -> String { "noise must be a number from 0 to 1, found '\(value)'" }

    static func repeatedTrainKey(_ key: String) -> String { "'\(key)' is given twice" }

    static let missingData = "`train:` needs a data set: `data=xor`, `data=two-moons`, `data=spirals` or `data=circles`"

    static let trainWithoutNetwork = "`train:` needs a network: declare one with `network: 2 -> 4 -> 1` in this cell or a cell above"

    static func inputWidth(_ dataset: String, _ width: Int) -> String {
        "the data set '\(dataset)' has 2 inputs, but the network takes \(width) (its first width); declare `network: 2 -> …`"
    }

    static func outputWidth(_ dataset: String, classes: Int, _ width: Int) -> String {
        "the data set '\(dataset)' has \(classes) classes, but the network has \(width) outputs; use 1 output (a 0/1 target) or \(classes) (one-hot)"
    }

    static func batchTooLarge(_ batch: Int, _ points: Int) -> String {
        "a batch of \(batch) is larger than the data set's \(points) points"
    }

    static func tooMuchWork(_ work: Double, limit: Double) -> String {
        "this training would take about \(Int(work / 1e6)) million multiply–adds, over the limit of \(Int(limit / 1e6)) million; use fewer steps, a smaller batch or a smaller network"
    }

    static func trainingFailed(_ reason: String) -> String { "training stopped: \(reason)" }

    static func gradientCheckHolds(_ error: String, _ count: Int) -> String {
        "backpropagation agrees with central differences for all \(count) weights and biases (largest relative error \(error))"
    }

    static func gradientCheckFails(_ error: String, _ tolerance: String, _ analytic: String, _ numeric: String) -> String {
        "backpropagation and central differences disagree: largest relative error \(error) (tolerance \(tolerance)), backpropagation \(analytic) vs differences \(numeric)"
    }
}
