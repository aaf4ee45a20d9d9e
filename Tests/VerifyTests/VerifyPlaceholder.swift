import Testing
@testable import Verify
