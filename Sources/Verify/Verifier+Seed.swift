extension Verifier {
    /// The seed every command draws free inputs with unless told otherwise
    /// (`--seed`): the one place it is written.
    public static let defaultSeed: UInt64 = 7
}
