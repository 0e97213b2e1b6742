/// The quota of one run's workdir: measured before the run starts, while it runs and after it ends.
///
/// A run fails only if it *adds* to a workdir that is over its quota, so a run in a full workdir
/// can still remove files. No file may grow past the bytes that are left (RLIMIT_FSIZE), which bounds
/// what a run can write between two measurements to that much per file it writes.
struct QuotaWatch {
    let quota: WorkspaceQuota
    let workdir: String
    /// The workdir before the run.
    let before: WorkspaceUsage
    /// The run's file size limit: the request's, or the bytes left under the quota when fewer. A
    /// workdir already over its quota keeps the request's, so that a run can remove files and then
    /// write; the measurements still fail it if it ends up adding to the workdir.
    let fileSizeBytes: Int
    /// Whether the quota, not the request, set ``fileSizeBytes``.
    let quotaSetsFileSize: Bool

    init(quota: WorkspaceQuota, workdir: String, requestedFileSize: Int) {
        self.quota = quota
        self.workdir = workdir
        before = WorkspaceUsage.measure(path: workdir)
        let bytesLeft = quota.bytes - before.bytes
        quotaSetsFileSize = before.unmeasurable == nil && bytesLeft > 0 && bytesLeft < requestedFileSize
        fileSizeBytes = quotaSetsFileSize ? bytesLeft : requestedFileSize
    }

    /// Why the workdir is now over its quota because of the run; nil while it fits or has not grown.
    func violation() -> String? { violation(WorkspaceUsage.measure(path: workdir)) }

    private func violation(_ now: WorkspaceUsage) -> String? {
        guard let violation = quota.violation(by: now) else { return nil }
        let grew = now.bytes > before.bytes || now.entries > before.entries || (now.unmeasurable != nil && before.unmeasurable == nil)
        return grew ? violation : nil
    }

    /// The run's outcome once the workdir is measured after it: `workspace_quota` when the run took
    /// the workdir over its quota, or when it failed with the workdir full because a file stopped at
    /// the bytes the quota left (SIGXFSZ; or EFBIG, for programs that ignore the signal, as Python does).
    func finalVerdict(after verdict: OutcomeClassifier.Verdict) -> OutcomeClassifier.Verdict {
        if verdict.outcome == .workspaceQuota { return verdict }
        let now = WorkspaceUsage.measure(path: workdir)
        if let violation = violation(now) { return .init(outcome: .workspaceQuota, detail: violation) }
        if quotaSetsFileSize, verdict.outcome == .fileSizeLimit || (verdict.outcome != .ok && now.bytes >= quota.bytes) {
            return .init(outcome: .workspaceQuota,
                         detail: "a file reached the \(fileSizeBytes) bytes left of the workspace's quota of \(quota.bytes) bytes")
        }
        return verdict
    }
}
