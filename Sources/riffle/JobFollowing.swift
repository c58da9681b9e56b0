import ArgumentParser
import Foundation
import RiffleApp
import Synchronization

/// Submits a job through `submit` and follows it to the end: progress on standard error, and Ctrl-C
/// cancels it (the takes it finished stay in the library).
func runJob(_ service: GenerationService, takes: Int, quiet: Bool,
            _ submit: () throws(AppError) -> GenerationService.Submission) throws -> (GenerationService.Submission, GenerationService.Outcome) {
    let reporter = ProgressReporter(takes: takes, quiet: quiet)
    let token = service.observe(reporter.show)
    defer {
        service.stopObserving(token)
        reporter.finish()
    }
    // Ctrl-C before the job exists cancels it as soon as it does.
    let interrupt = Mutex<(jobID: String?, pressed: Bool)>((nil, false))
    let source = onInterrupt {
        let id = interrupt.withLock { state -> String? in
            state.pressed = true
            return state.jobID
        }
        if let id { try? service.cancel(id) }
    }
    defer { source.cancel() }
    let submission = try calling(submit)
    if interrupt.withLock({ state -> Bool in
        state.jobID = submission.jobID
        return state.pressed
    }) {
        try? service.cancel(submission.jobID)
    }
    let outcome = try calling { () throws(AppError) in try service.wait(submission.jobID) }
    return (submission, outcome)
}
