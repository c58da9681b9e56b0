import Foundation
import HTTPTypes
import RiffleApp

extension APIServer {
    /// Whether a key may start a job of `duration` seconds a take and `audioSeconds` in all: its longest
    /// take (400 naming `duration`), its jobs at once (429), its minutes this month (402, checked again
    /// atomically when the job is recorded).
    func admit(duration: Double, audioSeconds: Double, caller: Caller?) throws {
        guard let caller else { return }
        if let longest = caller.limits.maxDuration, duration > longest {
            throw APIError.badRequest("duration: \(duration) is longer than this key allows (allowed: at most \(longest) seconds)", field: "duration")
        }
        try admitConcurrency(caller: caller)
        if let minutes = caller.limits.monthlyMinutes {
            let used = try service.library.secondsUsed(keyID: caller.keyID, month: Library.monthName(Date()))
            if used + audioSeconds > minutes * 60 {
                throw APIError(.paymentRequired_, "quota_exceeded", quotaMessage(used: used, asked: audioSeconds, minutes: minutes))
            }
        }
    }

    /// 429 when the key already runs as many jobs as it may.
    func admitConcurrency(caller: Caller) throws {
        guard let most = caller.limits.concurrency else { return }
        let running = try service.library.activeJobCount(keyID: caller.keyID)
        if running >= most {
            throw APIError(.tooManyRequests, "concurrency_limit",
                           "this key may run \(most) job\(most == 1 ? "" : "s") at once and has \(running) pending or processing; "
                           + "wait for one to finish", headers: [.retryAfter: "5"])
        }
    }

    func quotaMessage(used: Double, asked: Double, minutes: Double) -> String {
        String(format: "this key has used %.1f of its %.1f minutes this month; the job needs %.1f more", used / 60, minutes, asked / 60)
    }
}
