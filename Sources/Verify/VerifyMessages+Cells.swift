import Diagnostics

/// The Verify stage's messages about `nb` cells, each with its code (docs/diagnostics.md).
extension VerifyMessages {
    static func expectedKey(_ line: String) -> Message {
        Message("verify.expected-key", "expected `key: value` or `let name = value`, found '\(line)'")
    }

    static func unknownKey(_ key: String) -> Message {
        Message("verify.unknown-key", "unknown cell key '\(key)'; known keys: network, activation, output, loss, init, seed, names, input, target, train, show, and `let`")
    }

    static func unknownValue(_ value: String, for key: String, allowed: [String]) -> Message {
        Message("verify.unknown-value", "'\(value)' is not a known \(key); use one of: \(allowed.joined(separator: ", "))")
    }

    /// `let NAME = VALUE` whose NAME is not one symbol (`let 2x = 1`).
    static func notASymbol(_ tex: String) -> Message {
        Message("verify.not-a-symbol", "'\(tex)' is not a symbol that can be given a value")
    }

    static func badNetwork(_ value: String) -> Message {
        Message("verify.bad-network", "expected layer widths such as `3 -> 5 -> 2` (at least two positive widths), found '\(value)'")
    }

    static func tooWide(_ width: Int, limit: Int) -> Message {
        Message("verify.too-wide", "a layer of \(width) neurons is over the limit of \(limit)")
    }

    static func badSeed(_ value: String) -> Message {
        Message("verify.bad-seed", "expected a whole number from 0 to 18446744073709551615 as the seed, found '\(value)'")
    }

    static func badName(_ entry: String, roles: [String]) -> Message {
        Message("verify.bad-name", "expected `role TeX` such as `weights W`, found '\(entry)'; roles: \(roles.joined(separator: ", "))")
    }

    static func badNumbers(_ value: String) -> Message {
        Message("verify.bad-numbers", "expected a number or a list such as `[0.5, -1, 2]`, found '\(value)'")
    }

    static func badAssignment(_ text: String) -> Message {
        Message("verify.bad-assignment", "expected `let SYMBOL = NUMBER` or `let SYMBOL = [NUMBERS]`, found 'let \(text)'")
    }

    static func badTrain(_ item: String) -> Message {
        Message("verify.bad-train", "expected `key=value` options such as `steps=200 rate=0.1`, found '\(item)'")
    }

    static let emptyShow = Message("verify.empty-show", "`show:` needs what to show: `plot F, G for X from A to B`, `paths W -> E`, or `graph E`")

    // MARK: show

    static func unknownShow(_ word: String) -> Message {
        Message("verify.unknown-show", "nbrun cannot show '\(word)'; use `plot F, G for X from A to B`, `paths W -> E`, or `graph E`")
    }

    static func badPlot(_ text: String) -> Message {
        Message("verify.bad-plot", "expected `plot F, G for X from A to B` (optionally `ylim=A..B`), found '\(text)'")
    }

    static let emptyPlotExpression = Message("verify.empty-plot-expression", "an empty expression in the list of what to plot")

    static func notABound(_ text: String) -> Message { Message("verify.not-a-bound", "'\(text)' is not a number to plot from or to") }

    static func emptyRange(_ low: String, _ high: String) -> Message {
        Message("verify.empty-range", "the range from \(low) to \(high) is empty; write the smaller bound first")
    }

    static func unknownPlotOption(_ text: String) -> Message { Message("verify.unknown-plot-option", "unknown plot option '\(text)'; the only option is `ylim=A..B`") }

    static func badYLimits(_ text: String) -> Message { Message("verify.bad-y-limits", "expected `ylim=A..B` with A < B, found '\(text)'") }

    static func unreadableMath(_ tex: String, _ reason: String) -> Message { Message("verify.unreadable-math", "cannot read '\(tex)' as math: \(reason)") }

    static func notAVariable(_ tex: String) -> Message { Message("verify.not-a-variable", "'\(tex)' is not a variable to plot against (write one symbol, such as `z` or `w_1`)") }

    static func freeSymbol(_ name: String, in tex: String, variable: String) -> Message {
        Message("verify.free-symbol", "'\(tex)' uses \(name), which has no value here: a plot varies \(variable) only, so define \(name) above or give it a value with `let`")
    }

    static func cannotPlot(_ tex: String, _ reason: String) -> Message { Message("verify.cannot-plot", "cannot plot '\(tex)': \(reason)") }

    static func notAScalar(_ tex: String, _ rows: Int, _ columns: Int) -> Message {
        Message("verify.not-a-scalar", "'\(tex)' is a \(rows)×\(columns) array, not a number, so it has no curve")
    }

    static func noFiniteValue(_ tex: String, _ variable: String, _ low: String, _ high: String) -> Message {
        Message("verify.no-finite-value", "'\(tex)' has no finite value for \(variable) from \(low) to \(high)")
    }

    static func badPaths(_ text: String) -> Message { Message("verify.bad-paths", "expected `paths SYMBOL -> TARGET` such as `paths w_1 -> E`, found '\(text)'") }

    static func notInGraph(_ tex: String, _ names: String) -> Message {
        Message("verify.not-in-graph", "'\(tex)' is not a quantity of the definitions above; the computation graph has \(names)")
    }

    static let noGraph = Message("verify.no-graph", "there are no scalar definitions above this cell to draw a computation graph of (define quantities such as `h = w x` in display math first)")

    static func noPath(_ from: String, _ to: String) -> Message { Message("verify.no-path", "no path leads from \(from) to \(to) in the computation graph") }

    static func tooManyPaths(_ count: Int, limit: Int) -> Message {
        Message("verify.too-many-paths", "more than \(limit) paths lead there (\(count) found before stopping); a path sum that long is not worth drawing")
    }

    static func pathSumNotComputed(_ reason: String) -> Message { Message("verify.path-sum-not-computed", "cannot compute the path sum: \(reason)") }

    static func pathSumHolds(_ terms: Int, _ total: String) -> Message {
        Message("verify.path-sum-holds", "the sum over \(terms) path\(terms == 1 ? "" : "s") equals the gradient by backpropagation, \(total)")
    }

    static func pathSumDiffers(_ total: String, _ gradient: String) -> Message {
        Message("verify.path-sum-differs", "the sum over paths is \(total) but backpropagation gives \(gradient)")
    }

    // MARK: train

    static func unknownTrainKey(_ key: String) -> Message {
        Message("verify.unknown-train-key", "unknown training option '\(key)'; known: data, steps, rate, optimizer, batch, seed, points, noise")
    }

    static func unknownDataset(_ value: String) -> Message {
        Message("verify.unknown-dataset", "'\(value)' is not a data set nbrun can make; use one of: xor, two-moons, spirals, circles")
    }

    static func unknownOptimizer(_ value: String) -> Message { Message("verify.unknown-optimizer", "'\(value)' is not an optimizer; use one of: sgd, momentum, adam") }

    static func badWholeNumber(_ key: String, _ value: String, limit: Int) -> Message {
        Message("verify.bad-whole-number", "\(key) must be a whole number from 1 to \(limit), found '\(value)'")
    }

    static func badRate(_ value: String) -> Message { Message("verify.bad-rate", "rate must be a positive number, found '\(value)'") }

    static func badNoise(_ value: String) -> Message { Message("verify.bad-noise", "noise must be a number from 0 to 1, found '\(value)'") }

    static func repeatedTrainKey(_ key: String) -> Message { Message("verify.repeated-train-key", "'\(key)' is given twice") }

    static let missingData = Message("verify.missing-data", "`train:` needs a data set: `data=xor`, `data=two-moons`, `data=spirals` or `data=circles`")

    static let trainWithoutNetwork = Message("verify.train-without-network", "`train:` needs a network: declare one with `network: 2 -> 4 -> 1` in this cell or a cell above")

    static func inputWidth(_ dataset: String, _ width: Int) -> Message {
        Message("verify.input-width", "the data set '\(dataset)' has 2 inputs, but the network takes \(width) (its first width); declare `network: 2 -> …`")
    }

    static func outputWidth(_ dataset: String, classes: Int, _ width: Int) -> Message {
        Message("verify.output-width", "the data set '\(dataset)' has \(classes) classes, but the network has \(width) outputs; use 1 output (a 0/1 target) or \(classes) (one-hot)")
    }

    static func batchTooLarge(_ batch: Int, _ points: Int) -> Message {
        Message("verify.batch-too-large", "a batch of \(batch) is larger than the data set's \(points) points")
    }

    static func tooMuchWork(_ work: Double, limit: Double) -> Message {
        Message("verify.too-much-work", "this training would take about \(Int(work / 1e6)) million multiply–adds, over the limit of \(Int(limit / 1e6)) million; use fewer steps, a smaller batch or a smaller network")
    }

    static func trainingFailed(_ reason: String) -> Message { Message("verify.training-failed", "training stopped: \(reason)") }

    static func gradientCheckHolds(_ error: String, _ count: Int) -> Message {
        Message("verify.gradient-check-holds", "backpropagation agrees with central differences for all \(count) weights and biases (largest relative error \(error))")
    }

    static func gradientCheckFails(_ error: String, _ tolerance: String, _ analytic: String, _ numeric: String) -> Message {
        Message("verify.gradient-check-fails", "backpropagation and central differences disagree: largest relative error \(error) (tolerance \(tolerance)), backpropagation \(analytic) vs differences \(numeric)")
    }
}
