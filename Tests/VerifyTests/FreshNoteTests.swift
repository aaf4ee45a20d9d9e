import Testing
@testable import Verify

/// Misreadings found by checking notes nbrun had never seen (our own notes in the styles of a
/// book chapter, course notes, an Obsidian note, a blog post), each as a short note.
@Suite struct FreshNoteTests {
    func steps(_ text: String) -> [StepResult] { Corpus.check(text, path: "fresh.md").steps }
    func statuses(_ text: String) -> [StepStatus] { steps(text).map(\.status) }

    @Test func aQuantityDefinedWithEquivIsNeverReplacedByALaterEquals() {
        let note = #"""
        $$a_j = \sigma(z_j)$$

        $$C = \frac{1}{2} \sum_j (y_j - a_j)^2$$

        $$\delta_j \equiv \frac{\partial C}{\partial z_j}$$

        $$\delta_j = (a_j - y_j) \sigma(z_j)$$

        $$\delta_j = (a_j - y_j) \sigma'(z_j)$$
        """#
        // The slip (σ for σ') fails; the right formula after it is still checked against ∂C/∂z_j.
        #expect(statuses(note) == [.defined, .defined, .defined, .failed, .verified])
    }

    @Test func aShortDecimalIsRoundedNotCut() {
        // g(-1.5) = 0.18243: -1.5 may be off by half a unit (±0.05), not by a whole one.
        let note = "$$g(z) = \\frac{1}{1 + e^{-z}}$$\n\n$$g(-1.5) = 0.1724$$\n\n$$g(-1.5) = 0.1824$$\n"
        #expect(statuses(note) == [.defined, .failed, .verified])
    }

    @Test func aNumberForAnInputOrASizeInTheProseIsACaseNotAClaim() {
        let size = "$$J = \\frac{1}{m} \\sum_{i=1}^{m} (h_i - y_i)^2$$\n\nso for $m = 1$ the cost is the squared error.\n"
        #expect(statuses(size) == [.defined])
        let input = "$$f(x) = \\max(0, x)$$\n\nAt $x = 1.2$ the slope is 1. At $x = 0$ frameworks use 0.\n"
        #expect(!statuses(input).contains(.failed))
        // A computed quantity's number in the prose is still a claim.
        let computed = "$$z = w x$$\n\nWith $w = 0.5$ and $x = 2.0$ we get $z = 1.5$.\n"
        #expect(statuses(computed).contains(.failed))
    }

    @Test func settingTheGradientToZeroGivesAnEquationToSolve() {
        let note = #"""
        $$J(\mathbf{w}) = \frac{1}{2} \|\mathbf{X}\mathbf{w} - \mathbf{y}\|^2 + \frac{\lambda}{2} \|\mathbf{w}\|^2$$

        $$\nabla_{\mathbf{w}} J = \mathbf{X}^T (\mathbf{X}\mathbf{w} - \mathbf{y}) + \lambda \mathbf{w}$$

        Setting the gradient to zero,

        $$\mathbf{X}^T \mathbf{X} \mathbf{w} + \lambda \mathbf{w} = \mathbf{X}^T \mathbf{y}$$

        $$(\mathbf{X}^T \mathbf{X} + \lambda \mathbf{I}) \mathbf{w} = \mathbf{X}^T \mathbf{y}$$
        """#
        let results = steps(note)
        // The display right after goes on solving the same equation.
        #expect(results.map(\.status) == [.defined, .verified, .unchecked, .unchecked])
        #expect(results.last?.reason == .equationToSolve)
        #expect(results.last?.message == VerifyMessages.equationToSolve("setting the"))
    }

    @Test func aMatrixTheProseCallsSymmetricIsDrawnSymmetric() {
        let quadratic = #"$$\nabla_{\mathbf{w}} \left( \mathbf{w}^T \mathbf{A} \mathbf{w} \right) = 2 \mathbf{A} \mathbf{w}$$"#
        let declared = #"$\mathbf{A} \in \mathbb{R}^{D \times D}$ and $\mathbf{w} \in \mathbb{R}^{D}$:"#
        #expect(statuses("For a symmetric matrix " + declared + "\n\n" + quadratic + "\n") == [.verified])
        #expect(statuses("For a matrix " + declared + "\n\n" + quadratic + "\n") == [.failed])
    }

    @Test func aGradientTakesTheWholeTermAfterAFractionWithoutItsVariable() {
        #expect(statuses(#"$$\nabla_{w} \frac{\lambda}{2} w^2 = \lambda w$$"#) == [.verified])
        #expect(statuses(#"$$\nabla_{w} \frac{\lambda}{2} w^2 = \frac{\lambda}{2} w$$"#) == [.failed])
        #expect(statuses(#"$$\nabla_{\mathbf{w}} \frac{\lambda}{2} \|\mathbf{w}\|^2 = \frac{\lambda}{2} \mathbf{w}$$"#) == [.failed])
    }

    @Test func aMinusOnAWorkedNumberBelongsToItsSymbol() {
        let note = #"""
        $$z = w_1 x_1 + w_2 x_2$$

        $$z = -0.27 \times 0.1 + 0.44 \times 0.6 = 0.237$$

        $$\frac{\partial z}{\partial x_1} = w_1 = -0.27$$
        """#
        #expect(!statuses(note).contains(.unchecked))
        #expect(!statuses(note).contains(.failed))
        let subtracted = note.replacingOccurrences(of: "-0.27 \\times 0.1 + 0.44", with: "0.44 \\times 0.1 - 0.27")
            .replacingOccurrences(of: "= 0.237", with: "= -0.118")
            .replacingOccurrences(of: "{\\partial x_1} = w_1", with: "{\\partial x_2} = w_2")
        #expect(!statuses(subtracted).contains(.unchecked))
        #expect(!statuses(subtracted).contains(.failed))
    }

    @Test func aRecurrenceWithItsRangeAndItsStartInTheProse() {
        // `t = 1, \dots, T` says where t runs, and "a given $h_0$" is the state it starts from: neither
        // fixes t = 1 (where ∂h_0/∂U = 0 would make U and W alike) nor makes h_0 a member to compute.
        let note = #"""
        $$h_t = \tanh(W h_{t-1} + U x_t), \qquad t = 1, \dots, T$$

        starting from a given $h_0$.

        $$\frac{\partial h_t}{\partial U} = (1 - h_t^2) \left( x_t + W \frac{\partial h_{t-1}}{\partial U} \right)$$
        """#
        #expect(statuses(note) == [.defined, .verified])
        let slip = steps(note.replacingOccurrences(of: "x_t + W", with: "x_t + U"))
        #expect(slip.map(\.status) == [.defined, .failed])
        #expect(slip.last?.message.hasPrefix("at t = 2") == true)
    }

    @Test func aLetterWrittenWithTheIndexOfAVectorIsAVector() {
        // θ is a vector (θ^T); x_j beside θ_j makes x one too, so θ^T x is a number.
        let note = #"""
        $$h_\theta(x) = g(\theta^T x), \qquad g(z) = \frac{1}{1 + e^{-z}}$$

        $$\frac{\partial}{\partial \theta_j} h_\theta(x) = h_\theta(x)(1 - h_\theta(x)) x_j$$

        $$\frac{\partial}{\partial \theta_j} \log (1 - h_\theta(x)) = h_\theta(x) x_j$$
        """#
        // The second claim lost its minus: -h_θ(x) x_j.
        #expect(statuses(note) == [.defined, .defined, .verified, .failed])
    }

    @Test func aFunctionBrokenIntoStagesIsDifferentiatedThroughThem() {
        let note = #"""
        Consider $f(x, y, z) = (x + y) z$. We break it into $q = x + y$ and $f = q z$.

        $$\frac{\partial f}{\partial q} = z, \qquad \frac{\partial f}{\partial z} = q$$

        $$\frac{\partial f}{\partial x} = \frac{\partial f}{\partial q} \frac{\partial q}{\partial x} = z$$

        Another function is not staged:

        $$f(x) = \frac{1}{x}$$

        $$\frac{df}{dx} = -\frac{1}{x^2}$$
        """#
        #expect(statuses(note) == [.defined, .defined, .defined, .verified, .verified, .verified, .verified, .defined, .verified])
        #expect(statuses(note.replacingOccurrences(of: "{\\partial q} = z,", with: "{\\partial q} = y,")).contains(.failed))
    }

    @Test func aRangeTheNoteStatesIsWhereTheSymbolIsDrawn() {
        // Leaky ReLU: its cases hold for 0 < α < 1 only, and the range is a premise, not a claim.
        let note = #"""
        $$f(x) = \max(\alpha x, x), \qquad 0 < \alpha < 1$$

        $$f'(x) = \begin{cases} 1 & \text{if } x > 0 \\ \alpha & \text{if } x < 0 \end{cases}$$
        """#
        #expect(statuses(note) == [.defined, .verified])
        #expect(statuses(note.replacingOccurrences(of: "\\alpha & \\text", with: "1 & \\text")).last == .failed)
    }

    @Test func theCoursesStarIsElementWiseAndItsBiasIsAColumn() {
        // Single-example course notation with the shapes declared: `*` between two vectors of one shape is
        // element-wise, and `b^{[1]}` added to W^{[1]} x is as tall as it.
        let note = #"""
        Here $x \in \mathbb{R}^{3}$, $W^{[1]} \in \mathbb{R}^{4 \times 3}$ and $W^{[2]} \in \mathbb{R}^{1 \times 4}$.

        $$z^{[1]} = W^{[1]} x + b^{[1]}$$

        $$a^{[1]} = \tanh(z^{[1]})$$

        $$z^{[2]} = W^{[2]} a^{[1]} + b^{[2]}$$

        $$a^{[2]} = \sigma(z^{[2]})$$

        $$\mathcal{L} = -\left( y \log a^{[2]} + (1 - y) \log(1 - a^{[2]}) \right)$$

        $$dz^{[1]} = W^{[2]T} dz^{[2]} * \tanh'(z^{[1]})$$

        $$db^{[1]} = dz^{[1]}$$
        """#
        #expect(statuses(note).filter { $0 != .defined } == [.verified, .verified])
        #expect(statuses(note.replacingOccurrences(of: "W^{[2]T} dz^{[2]} *", with: "W^{[2]} dz^{[2]} *")).contains(.failed))
    }

    @Test func aCourseLossThatComesOutAsAVectorIsUncheckedNotFailed() {
        // Single-example course notation with no width given for the output layer: drawn wide, ℒ would
        // be a vector and dz a Jacobian. The author means one unit; the step is not compared.
        let note = #"""
        $$z^{[2]} = W^{[2]} a^{[1]} + b^{[2]}$$

        $$a^{[2]} = \sigma(z^{[2]})$$

        $$\mathcal{L} = -\left( y \log a^{[2]} + (1 - y) \log(1 - a^{[2]}) \right)$$

        $$dz^{[2]} = a^{[2]} - y$$

        $$dW^{[2]} = dz^{[2]} a^{[1]T}$$
        """#
        let checked = steps(note).filter { $0.status != .defined }
        #expect(checked.map(\.status) == [.unchecked, .unchecked])
        #expect(checked.first?.message.contains("ℒ comes out as") == true)
        #expect(checked.first?.message.contains("not a number") == true)
    }

    @Test func shapesTheProseGivesAsRowsAndColumnsAreDeclarations() {
        // "$W^{[2]}$ is $(1, n^{[1]})$", as the course writes shapes; x, which W^{[1]} multiplies, is its input vector.
        let note = #"""
        Shapes: $W^{[1]}$ is $(n^{[1]}, n_x)$, $W^{[2]}$ is $(1, n^{[1]})$.

        $$z^{[1]} = W^{[1]} x + b^{[1]}$$

        $$a^{[1]} = \tanh(z^{[1]})$$

        $$z^{[2]} = W^{[2]} a^{[1]} + b^{[2]}$$

        $$a^{[2]} = \sigma(z^{[2]})$$

        $$\mathcal{L} = -\left( y \log a^{[2]} + (1 - y) \log(1 - a^{[2]}) \right)$$

        $$dz^{[2]} = a^{[2]} - y$$

        $$dz^{[1]} = W^{[2]T} dz^{[2]} * \tanh'(z^{[1]})$$

        $$dW^{[1]} = dz^{[1]} x^T$$
        """#
        #expect(statuses(note).filter { $0 != .defined } == [.verified, .verified, .verified])
        let slip = steps(note.replacingOccurrences(of: "W^{[2]T} dz^{[2]} *", with: "W^{[2]} dz^{[2]} *"))
        #expect(slip.filter { $0.status == .failed }.map(\.line) == [15])
    }

    @Test func aLossAtAPointTheProseNamesIsNotItsDefinition() {
        let note = #"""
        $$L(w) = (w x - y)^2$$

        We start from $w = 0.5$, with $x = 1.0$, $y = 2.0$ and $\eta = 0.1$.

        $$L = (0.5 - 2.0)^2 = 2.25$$

        $$w \leftarrow w - \eta \frac{\partial L}{\partial w} = 0.5 - 0.1 \cdot (-3.0) = 0.8$$

        $$L = (0.8 - 2.0)^2 = 1.44$$
        """#
        #expect(!statuses(note).contains(.failed))
        #expect(statuses(note.replacingOccurrences(of: "= 1.44", with: "= 1.69")).contains(.failed))
    }

    @Test func aSumThatComesToZeroIsStillAClaim() {
        let note = "$$p_j = \\frac{e^{z_j}}{\\sum_{k=1}^{3} e^{z_k}}$$\n\nEach column sums to zero, as it must:\n\n"
            + #"$$\sum_{i=1}^{3} \frac{\partial p_i}{\partial z_j} = 0$$"#
        #expect(statuses(note) == [.defined, .verified])
    }

    @Test func entriesPrintedToSomeDigitsHoldToThem() {
        let note = #"""
        $$Q = \begin{bmatrix} 1 & 0 \\ 1 & 1 \end{bmatrix}$$

        $$\frac{Q}{\sqrt{2}} = \begin{bmatrix} 0.7071 & 0 \\ 0.7071 & 0.7071 \end{bmatrix}$$
        """#
        #expect(statuses(note) == [.defined, .verified])
        #expect(statuses(note.replacingOccurrences(of: "0.7071 & 0.7071", with: "0.7071 & 0.7171")) == [.defined, .failed])
    }

    @Test func aPointTheProseNamesWithAtGivesItsValues() {
        let note = #"""
        Let $u = x^2 + x y$ with $x = r \cos t$ and $y = r \sin t$.

        $$\frac{\partial u}{\partial r} = 2 r \cos^2 t + 2 r \sin t \cos t$$

        At $r = 2$, $t = 0$ we have

        $$\frac{\partial u}{\partial r} = 2 \cdot 2 \cdot 1 + 0 = 4$$
        """#
        #expect(!statuses(note).contains(.failed))
        #expect(statuses(note.replacingOccurrences(of: "+ 0 = 4", with: "+ 1 = 5")).contains(.failed))
    }

    @Test func aCommentAfterAListItemsMathHidesNothing() {
        let note = #"""
        $$L = -\sum_{i=1}^{K} y_i \log p_i$$

        - $\frac{\partial L}{\partial p_i} = \frac{y_i}{p_i}$ %% sign? %%
        """#
        #expect(statuses(note) == [.defined, .failed])
    }
}
