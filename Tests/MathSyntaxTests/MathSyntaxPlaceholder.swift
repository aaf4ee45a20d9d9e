import Testing
@testable import MathSyntax
