import Foundation

/// One batch's transaction on a thread of its own, so the loader formats the next batch meanwhile.
/// Its connection is used by this thread only until the job is done (one job in flight per connection).
final class CommitJob: @unchecked Sendable {
    /// The key's position once this batch is committed.
    let position: LoadPosition
    private let work: () -> Result<Loader.Committed?, PostgresError>
    private let done = DispatchGroup()
    private var outcome: Result<Loader.Committed?, PostgresError>?

    init(position: LoadPosition, work: @escaping () -> Result<Loader.Committed?, PostgresError>) {
        self.position = position
        self.work = work
        done.enter()
        Thread { [self] in
            outcome = self.work()
            done.leave()
        }.start()
    }

    /// Blocks until the transaction has ended (any thread, any number of times).
    func wait() {
        done.wait()
    }

    /// The transaction's result; call after `wait`.
    var result: Result<Loader.Committed?, PostgresError> {
        outcome ?? .failure(.connection(message: "the commit did not run"))
    }
}
