import Backprop
import Diagnostics

/// Runs a `train:` statement: makes the data set, checks the network's
/// backpropagation against central differences, trains, and measures.
enum NetworkTraining {
    /// Multiply–adds one training may cost (about 6 per parameter, point and step).
    static let maximumWork = 5e9
    /// The most parameters the gradient check compares (an even sample beyond).
    static let checkedParameters = 400
    /// The most points of the loss curve kept for the figure.
    static let curvePoints = 500

    struct Outcome {
        var run: TrainingRun
        var check: FiniteDifferenceReport
        var parameterCount: Int
    }

    static func run(_ request: TrainingRequest, network: NetworkModel, statement: CellStatement,
                    deadline: ContinuousClock.Instant) -> Result<Outcome, Diagnostic> {
        let widths = network.widths
        guard widths[0] == 2 else {
            return .failure(.error(VerifyMessages.inputWidth(request.dataset.rawValue, widths[0]), at: request.datasetRange))
        }
        let outputs = widths[widths.count - 1]
        let classes = request.dataset == .spirals ? max(2, outputs) : 2
        guard outputs == 1 || outputs == classes else {
            return .failure(.error(VerifyMessages.outputWidth(request.dataset.rawValue, classes: classes, outputs), at: request.datasetRange))
        }
        let dataSeed = request.seed ?? network.seed
        let data: Dataset
        do {
            data = try Dataset(request.dataset, points: request.points, noise: request.noise, classes: classes, seed: dataSeed)
        } catch {
            return .failure(.error(VerifyMessages.trainingFailed(error.description), at: statement.range))
        }
        let batch = request.batch ?? data.count
        guard batch <= data.count else {
            return .failure(.error(VerifyMessages.batchTooLarge(batch, data.count), at: request.batchRange ?? statement.valueRange))
        }
        var parameterCount = 0
        for layer in 1..<widths.count { parameterCount += widths[layer] * (widths[layer - 1] + 1) }
        let work = 6 * Double(request.steps) * Double(batch) * Double(parameterCount)
        guard work <= maximumWork else {
            return .failure(.error(VerifyMessages.tooMuchWork(work, limit: maximumWork), at: statement.valueRange))
        }

        let activations = (1..<widths.count).map { layer in
            Activation(rawValue: network.activationName(ofLayer: layer)) ?? .identity
        }
        let initialization: Initialization = switch network.initialization {
        case "he": .he
        case "uniform": .uniform(1)
        default: .xavier
        }
        let loss: Loss = switch network.loss {
        case "mse": .meanSquaredError
        case "cross-entropy": .crossEntropy
        case "softmax-cross-entropy": .softmaxCrossEntropy
        default: .halfSquaredError
        }
        let targets = data.targets(width: outputs)
        do {
            var generator = SeededGenerator(seed: network.seed)
            let start = try MultilayerPerceptron<Double>(sizes: widths, activations: activations,
                                                         initialization: initialization, generator: &generator)
            // The check runs on the first batch the training sees.
            var order = Array(0..<data.count)
            var shuffler = SeededGenerator(seed: dataSeed &+ 1)
            if batch < data.count { shuffle(&order, with: &shuffler) }
            let first = data.batch(Array(order[0..<batch]), width: outputs)
            let check = try start.checkGradients(input: first.input, target: first.target, loss: loss, limit: checkedParameters)

            let trainer = try NetworkTrainer(network: start, batchSize: batch, loss: loss, optimizer: request.engineOptimizer)
            var losses: [Double] = []
            losses.reserveCapacity(request.steps)
            var cursor = 0
            for step in 0..<request.steps {
                if step % 64 == 0, ContinuousClock.now > deadline {
                    return .failure(.error(VerifyMessages.trainingFailed("out of time after \(step) steps"), at: statement.range))
                }
                if batch == data.count {
                    losses.append(try trainer.step(input: data.inputs, target: targets))
                    continue
                }
                if cursor + batch > order.count {
                    shuffle(&order, with: &shuffler)
                    cursor = 0
                }
                let next = data.batch(Array(order[cursor..<(cursor + batch)]), width: outputs)
                cursor += batch
                losses.append(try trainer.step(input: next.input, target: next.target))
            }
            let trained = trainer.network
            let output = try trained.forward(data.inputs).output
            let finalLoss = try trained.loss(data.inputs, target: targets, loss: loss)
            var correct = 0
            for column in 0..<data.count {
                let predicted: Int
                if outputs == 1 {
                    predicted = output[0, column] >= 0.5 ? 1 : 0
                } else {
                    predicted = (0..<outputs).max { output[$0, column] < output[$1, column] } ?? 0
                }
                if predicted == (outputs == 1 ? min(1, data.labels[column]) : data.labels[column]) { correct += 1 }
            }
            let kept = curve(count: losses.count)
            let run = TrainingRun(
                dataset: request.dataset.rawValue, points: data.count, widths: widths, steps: request.steps,
                optimizer: request.optimizer, rate: request.learningRate, batch: batch, seed: dataSeed,
                gradientCheckError: check.maximumRelativeError, lossSteps: kept.map { $0 + 1 }, losses: kept.map { losses[$0] },
                finalLoss: finalLoss, accuracy: Double(correct) / Double(data.count)
            )
            return .success(Outcome(run: run, check: check, parameterCount: parameterCount))
        } catch {
            return .failure(.error(VerifyMessages.trainingFailed(error.description), at: statement.range))
        }
    }

    /// At most ``curvePoints`` evenly spaced indices of `count`, the first and the last included.
    static func curve(count: Int) -> [Int] {
        guard count > curvePoints else { return Array(0..<count) }
        let stride = Double(count - 1) / Double(curvePoints - 1)
        return (0..<curvePoints).map { Int((Double($0) * stride).rounded()) }
    }

    /// Fisher–Yates with the engine's own generator, the same on every platform.
    static func shuffle(_ items: inout [Int], with generator: inout SeededGenerator) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            let other = Int(generator.next() % UInt64(index + 1))
            items.swapAt(index, other)
        }
    }
}
