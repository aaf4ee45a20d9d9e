import Testing
@testable import nbrun
