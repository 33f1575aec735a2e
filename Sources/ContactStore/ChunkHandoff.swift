import Tabular

/// Hands chunks from producers on helper threads (`ProducerThread`) to the store's thread, so
/// work that needs no SQLite (merging the new contacts' key runs, reading and folding the rows
/// waiting to be settled) runs on other cores while the store writes what it already has.
enum ChunkHandoff {
    /// Starts `producers` threads named `name`, each running `produce` with its own queue of
    /// `depth` chunks and its number (producer `k` makes chunks `k`, `k + producers`, ...), and
    /// runs `consume` on this thread for every chunk in order, taking them round-robin and
    /// handing each back emptied. Rethrows the first error either side meets; returns once
    /// every helper thread has ended.
    static func run<Chunk>(depth: Int, name: String, producers: Int = 1,
                           produce: @escaping @Sendable (ProducerThread<Chunk, StoreError>, Int) throws(StoreError) -> Void,
                           consume: (inout Chunk) throws(StoreError) -> Void) throws(StoreError) {
        let queues = (0..<max(1, producers)).map { index in
            ProducerThread<Chunk, StoreError>(depth: depth, name: name) { (queue) throws(StoreError) in try produce(queue, index) }
        }
        defer { for queue in queues { queue.cancelAndWait() } }
        var next = 0
        while var chunk = try queues[next].take() {
            try consume(&chunk)
            queues[next].recycle(chunk)
            next = (next + 1) % queues.count
        }
    }
}
