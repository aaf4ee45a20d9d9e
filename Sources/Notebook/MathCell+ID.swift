extension MathCell {
    /// A math cell's identity in its note: where its TeX starts in the file.
    /// The checker's results (`Report.steps(in:)`) and the renderer's pieces of
    /// a page are joined by it, never by a bare offset.
    ///
    /// ```swift
    /// let marks = StepMarks(steps: report.steps(in: cell.id))
    /// ```
    public struct ID: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// The byte offset of the cell's TeX (`contentRange.start.offset`).
        public let offset: Int

        public init(offset: Int) {
            self.offset = offset
        }

        public static func < (lhs: ID, rhs: ID) -> Bool { lhs.offset < rhs.offset }

        public var description: String { "math at byte \(offset)" }
    }

    public var id: ID { ID(offset: contentRange.start.offset) }
}
