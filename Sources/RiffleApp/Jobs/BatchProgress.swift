import Synchronization

/// A batch's progress from its takes': the takes render side by side, so the job is as far as the
/// mean of theirs. The one formula every front end shows.
final class BatchProgress: Sendable {
    private let fractions: Mutex<[Double]>

    init(takes: Int) {
        fractions = Mutex([Double](repeating: 0, count: max(1, takes)))
    }

    /// Records take `index` at `fraction` and returns the batch's.
    func report(take index: Int, _ fraction: Double) -> Double {
        fractions.withLock { fractions in
            if fractions.indices.contains(index) { fractions[index] = min(max(fraction, 0), 1) }
            return fractions.reduce(0, +) / Double(fractions.count)
        }
    }
}
