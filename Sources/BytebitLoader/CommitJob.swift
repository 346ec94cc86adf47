import Foundation

/// One batch's transaction on a thread of its own, so the loader formats the next batch meanwhile.
/// The connection is used by this thread only until `wait` returns (one job in flight at a time).
final class CommitJob: @unchecked Sendable {
    /// The key's position once this batch is committed.
    let position: LoadPosition
    private let work: () -> Result<Loader.Committed?, PostgresError>
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<Loader.Committed?, PostgresError>?
    private var isWaited = false

    init(position: LoadPosition, work: @escaping () -> Result<Loader.Committed?, PostgresError>) {
        self.position = position
        self.work = work
        Thread { [self] in
            outcome = self.work()
            done.signal()
        }.start()
    }

    /// Blocks until the transaction has ended (once; later calls return at once).
    func wait() {
        guard !isWaited else { return }
        done.wait()
        isWaited = true
    }

    /// The transaction's result; call after `wait`.
    var result: Result<Loader.Committed?, PostgresError> {
        outcome ?? .failure(.connection(message: "the commit did not run"))
    }
}
