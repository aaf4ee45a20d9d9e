import Diagnostics

/// A figure the checker computed for the page: what a `show:` or `train:`
/// statement of an `nb` cell produced, or a note's computation graph drawn
/// without asking. Pure data — numbers and TeX — that the renderer draws.
///
/// ```swift
/// let report = Verifier(seed: 7).check(notebook)
/// for figure in report.figures(at: cell.contentRange.start.offset) { … }
/// ```
public struct CellFigure: Sendable, Equatable, Codable {
    public enum Content: Sendable, Equatable, Codable {
        /// `show: plot \sigma(z), \sigma'(z) for z from -6 to 6`
        case plot(FunctionPlot)
        /// `train: data=xor steps=2000`
        case training(TrainingRun)
        /// `show: paths w_1 -> E`
        case paths(GradientPaths)
        /// `show: graph E`, or the note's graph drawn without asking.
        case graph(DefinitionGraph)
    }

    /// Where the figure goes: the file offset of the content of the cell that asked
    /// for it (`CodeCell.contentRange.start.offset`), or of the TeX of the display
    /// math it follows (`MathCell.contentRange.start.offset`).
    public var offset: Int
    /// The statement that asked for it (the math, for an automatic graph).
    public var location: SourceRange
    public var content: Content

    public init(offset: Int, location: SourceRange, content: Content) {
        self.offset = offset
        self.location = location
        self.content = content
    }
}

/// Functions of one variable sampled over a range.
public struct FunctionPlot: Sendable, Equatable, Codable {
    public struct Series: Sendable, Equatable, Codable {
        /// The TeX as written: `\sigma'(z)`.
        public var tex: String
        /// One y per x of the plot; NaN where the function has no value (a gap).
        public var values: [Double]

        public init(tex: String, values: [Double]) {
            self.tex = tex
            self.values = values
        }
    }

    /// The variable's TeX: `z`.
    public var variable: String
    public var xs: [Double]
    public var series: [Series]

    public init(variable: String, xs: [Double], series: [Series]) {
        self.variable = variable
        self.xs = xs
        self.series = series
    }
}

/// A training run of the note's network on a generated data set.
public struct TrainingRun: Sendable, Equatable, Codable {
    /// `xor`, `two-moons`, `spirals`, `circles`.
    public var dataset: String
    public var points: Int
    /// The network's widths, input first.
    public var widths: [Int]
    public var steps: Int
    /// `sgd`, `momentum`, `adam`.
    public var optimizer: String
    public var rate: Double
    public var batch: Int
    public var seed: UInt64
    /// The largest relative error between backpropagation and central differences, before training.
    public var gradientCheckError: Double
    /// Whether that error is below ``gradientTolerance``.
    public var gradientCheckHolds: Bool
    /// Steps at which the loss was recorded, at most 500 of them, the first and the last included.
    public var lossSteps: [Int]
    /// The loss of that step's batch, before its update.
    public var losses: [Double]
    /// The loss on the whole data set after training.
    public var finalLoss: Double
    /// The fraction of points classified correctly after training.
    public var accuracy: Double

    public static let gradientTolerance = 1e-6

    public init(dataset: String, points: Int, widths: [Int], steps: Int, optimizer: String, rate: Double, batch: Int,
                seed: UInt64, gradientCheckError: Double, lossSteps: [Int], losses: [Double], finalLoss: Double, accuracy: Double) {
        self.dataset = dataset
        self.points = points
        self.widths = widths
        self.steps = steps
        self.optimizer = optimizer
        self.rate = rate
        self.batch = batch
        self.seed = seed
        self.gradientCheckError = gradientCheckError
        self.gradientCheckHolds = gradientCheckError < Self.gradientTolerance
        self.lossSteps = lossSteps
        self.losses = losses
        self.finalLoss = finalLoss
        self.accuracy = accuracy
    }
}

/// The computation graph of a note's scalar definitions: a node per defined
/// name and per free input the definitions use, an edge from each name to
/// each definition it appears in.
public struct DefinitionGraph: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case input, parameter, intermediate, output, loss
    }

    public struct Node: Sendable, Equatable, Codable {
        /// The checker's key: `w[1]`, `h[1]`, `E`.
        public var id: String
        /// In the note's notation: `w_1`.
        public var tex: String
        public var kind: Kind
        /// Its value at the first draw.
        public var value: Double

        public init(id: String, tex: String, kind: Kind, value: Double) {
            self.id = id
            self.tex = tex
            self.kind = kind
            self.value = value
        }
    }

    public struct Edge: Sendable, Equatable, Codable {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    public var nodes: [Node]
    public var edges: [Edge]

    public init(nodes: [Node], edges: [Edge]) {
        self.nodes = nodes
        self.edges = edges
    }

    public var definedCount: Int { nodes.count { $0.kind != .input && $0.kind != .parameter } }
}

/// A gradient as the sum over every path of the product of local derivatives.
public struct GradientPaths: Sendable, Equatable, Codable {
    public struct Term: Sendable, Equatable, Codable {
        /// Node ids from the start to the target.
        public var path: [String]
        /// The local derivatives along the path, in TeX: `\partial h_1/\partial z_1`.
        public var factors: [String]
        /// Their values.
        public var factorValues: [Double]
        public var value: Double

        public init(path: [String], factors: [String], factorValues: [Double], value: Double) {
            self.path = path
            self.factors = factors
            self.factorValues = factorValues
            self.value = value
        }
    }

    public var graph: DefinitionGraph
    /// TeX of the start and the target: `w_1`, `E`.
    public var start: String
    public var target: String
    public var terms: [Term]
    public var total: Double
    /// ∂target/∂start by reverse mode through the definitions.
    public var gradient: Double
    /// Whether the sum equals the gradient (relative tolerance 1e-9).
    public var holds: Bool

    public init(graph: DefinitionGraph, start: String, target: String, terms: [Term], total: Double, gradient: Double, holds: Bool) {
        self.graph = graph
        self.start = start
        self.target = target
        self.terms = terms
        self.total = total
        self.gradient = gradient
        self.holds = holds
    }
}
