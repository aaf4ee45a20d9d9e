#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The functions of the C math library that activations, losses and optimisers call,
/// named once per type so that generic code reaches `expf` for `Float` and `exp` for
/// `Double` without a conversion.
///
/// ```swift
/// let h = 1 / (1 + S.exponential(-a))   // sigmoid, S: ElementaryFunctions
/// ```
public protocol ElementaryFunctions: BinaryFloatingPoint {
    static func exponential(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
    static func squareRoot(_ x: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
    static func cosine(_ x: Self) -> Self
}

extension Double: ElementaryFunctions {
    public static func exponential(_ x: Double) -> Double { exp(x) }
    public static func logarithm(_ x: Double) -> Double { log(x) }
    public static func squareRoot(_ x: Double) -> Double { x.squareRoot() }
    public static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }
    public static func cosine(_ x: Double) -> Double { cos(x) }
}

extension Float: ElementaryFunctions {
    public static func exponential(_ x: Float) -> Float { expf(x) }
    public static func logarithm(_ x: Float) -> Float { logf(x) }
    public static func squareRoot(_ x: Float) -> Float { x.squareRoot() }
    public static func hyperbolicTangent(_ x: Float) -> Float { tanhf(x) }
    public static func cosine(_ x: Float) -> Float { cosf(x) }
}
