import Backprop
import Diagnostics

/// The options of a `train:` statement, read and checked word by word:
///
/// ```nb
/// train: data=xor steps=2000 rate=0.5 optimizer=adam batch=4 seed=3
/// train: data=two-moons points=200 noise=0.1 steps=3000
/// ```
struct TrainingRequest: Sendable {
    var dataset: Dataset.Kind
    /// The `data=…` word, where a data set that does not fit the network is reported.
    var datasetRange: SourceRange
    var steps = 1000
    var rate: Double?
    var optimizer = "adam"
    var batch: Int?
    var batchRange: SourceRange?
    var seed: UInt64?
    var points = 200
    var noise = 0.1

    static let maximumSteps = 100_000
    static let optimizers = ["sgd", "momentum", "adam"]
    static let keys = ["data", "steps", "rate", "optimizer", "batch", "seed", "points", "noise"]

    /// The learning rate: as given, else 0.01 for Adam and 0.1 for the others.
    var learningRate: Double { rate ?? (optimizer == "adam" ? 0.01 : 0.1) }

    var engineOptimizer: Optimizer {
        switch optimizer {
        case "sgd": .sgd(learningRate: learningRate)
        case "momentum": .sgd(learningRate: learningRate, momentum: 0.9)
        default: .adam(learningRate: learningRate)
        }
    }

    static func parse(_ statement: CellStatement, source: SourceFile) -> Result<TrainingRequest, Diagnostic> {
        let start = statement.valueRange.start.offset
        let end = min(source.bytes.count, statement.valueRange.end.offset)
        // Words with their offsets: options are separated by spaces or commas.
        var words: [(text: String, offset: Int)] = []
        var index = start
        func isSeparator(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: ",")
        }
        while index < end {
            while index < end, isSeparator(source.bytes[index]) { index += 1 }
            let wordStart = index
            while index < end, !isSeparator(source.bytes[index]) { index += 1 }
            if index > wordStart { words.append((source.text(from: wordStart, to: index), wordStart)) }
        }
        var request = TrainingRequest(dataset: .xor, datasetRange: statement.valueRange)
        var hasData = false
        var seen: Set<String> = []
        for word in words {
            let wordRange = source.range(from: word.offset, to: word.offset + word.text.utf8.count)
            guard let equals = word.text.firstIndex(of: "=") else {
                return .failure(.error(VerifyMessages.badTrain(word.text), at: wordRange))
            }
            let key = String(word.text[..<equals]).lowercased()
            let value = String(word.text[word.text.index(after: equals)...])
            let keyRange = source.range(from: word.offset, to: word.offset + key.utf8.count)
            let valueStart = word.offset + key.utf8.count + 1
            let valueRange = source.range(from: valueStart, to: valueStart + value.utf8.count)
            guard keys.contains(key) else { return .failure(.error(VerifyMessages.unknownTrainKey(key), at: keyRange)) }
            guard seen.insert(key).inserted else { return .failure(.error(VerifyMessages.repeatedTrainKey(key), at: keyRange)) }
            func whole(limit: Int) -> Result<Int, Diagnostic> {
                guard let number = Int(value), number >= 1, number <= limit else {
                    return .failure(.error(VerifyMessages.badWholeNumber(key, value, limit: limit), at: valueRange))
                }
                return .success(number)
            }
            switch key {
            case "data":
                guard let kind = Dataset.Kind(rawValue: value.lowercased()) else {
                    return .failure(.error(VerifyMessages.unknownDataset(value), at: valueRange))
                }
                request.dataset = kind
                request.datasetRange = wordRange
                hasData = true
            case "steps":
                switch whole(limit: maximumSteps) {
                case .success(let number): request.steps = number
                case .failure(let problem): return .failure(problem)
                }
            case "points":
                switch whole(limit: Dataset.maximumPoints) {
                case .success(let number): request.points = number
                case .failure(let problem): return .failure(problem)
                }
            case "batch":
                switch whole(limit: Dataset.maximumPoints) {
                case .success(let number): request.batch = number; request.batchRange = valueRange
                case .failure(let problem): return .failure(problem)
                }
            case "rate":
                guard let rate = Double(value), rate.isFinite, rate > 0 else {
                    return .failure(.error(VerifyMessages.badRate(value), at: valueRange))
                }
                request.rate = rate
            case "noise":
                guard let noise = Double(value), noise.isFinite, noise >= 0, noise <= 1 else {
                    return .failure(.error(VerifyMessages.badNoise(value), at: valueRange))
                }
                request.noise = noise
            case "optimizer":
                guard optimizers.contains(value.lowercased()) else {
                    return .failure(.error(VerifyMessages.unknownOptimizer(value), at: valueRange))
                }
                request.optimizer = value.lowercased()
            default: // seed
                guard let seed = UInt64(value) else { return .failure(.error(VerifyMessages.badSeed(value), at: valueRange)) }
                request.seed = seed
            }
        }
        guard hasData else { return .failure(.error(VerifyMessages.missingData, at: statement.valueRange)) }
        return .success(request)
    }
}
