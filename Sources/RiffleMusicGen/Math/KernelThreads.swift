import CMusicGenKernels

/// The worker threads Linear's kernels run on, lent for the decoder's other parallel work (attention over heads).
///
/// While decoding, those workers stay awake between Linear calls (they spin briefly, yielding their core to any
/// other runnable thread, before they sleep). Work spread with DispatchQueue.concurrentPerform brings a second
/// set of threads to compete with them for two cores; this runs it on the same threads instead.
public enum KernelThreads {
    /// Calls `body(i)` for every i in 0..<iterations, spread over the kernels' workers and the calling thread;
    /// returns when all are done. The iterations are claimed in chunks by whichever thread is free, so a worker
    /// the scheduler is not running costs nothing. Called from inside `body`, or while another thread is using
    /// the workers, it runs the iterations on the calling thread.
    public static func concurrentPerform(iterations: Int, _ body: @Sendable (Int) -> Void) {
        guard iterations > 0 else { return }
        precondition(iterations <= Int(Int32.max), "KernelThreads: \(iterations) iterations")
        withoutActuallyEscaping(body) { body in
            let box = Box(body)
            withExtendedLifetime(box) {
                riffle_mg_parallel(Int32(iterations), { context, index in
                    Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue().body(Int(index))
                }, Unmanaged.passUnretained(box).toOpaque())
            }
        }
    }

    private final class Box: @unchecked Sendable {  // immutable; lives for one call
        let body: @Sendable (Int) -> Void
        init(_ body: @escaping @Sendable (Int) -> Void) { self.body = body }
    }
}
