import ArchiveSupport
import Foundation
import Glibc
import ToolhostCore

/// `archive`: creates, extracts and lists zip and tar.gz archives in the workspace, with libarchive.
///
/// Extraction checks every header before writing anything (paths, types, links, mode bits, count,
/// existing targets), then writes through ``Workspace`` only, with `O_EXCL` so nothing is ever
/// overwritten, counting the bytes actually written against the expansion caps; if anything fails
/// on the way, what this call created is removed again.
struct ArchiveTool: BuiltinTool {
    let name = "archive"
    var limits = ArchiveLimits()

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let archive = try WorkspacePath(input["archive"]?.stringValue ?? "", field: "archive")
        let deadline = ContinuousClock.now + .milliseconds(Int(context.timeoutSeconds(fallback: 60) * 1000))
        let requested = input["format"]?.stringValue.flatMap(ArchiveFormat.init(rawValue:))
        return try ArchiveLocale.withUTF8 { () throws(ToolFailure) -> JSONValue in
            switch input["operation"]?.stringValue {
            case "create":
                let paths = try (input["paths"]?.arrayValue ?? []).enumerated().map { index, value throws(ToolFailure) in
                    try WorkspacePath(value.stringValue ?? "", field: "paths[\(index)]")
                }
                let creator = ArchiveCreator(
                    workspace: context.workspace, archive: archive, requested: requested,
                    level: input["compressionLevel"]?.intValue ?? 6, deadline: deadline)
                let (format, entries, bytes) = try creator.create(paths.isEmpty ? nil : paths)
                return .object(output("create", archive: archive, format: format, entries: entries, bytes: bytes))
            case "extract":
                let destination = try WorkspacePath(input["destination"]?.stringValue ?? ".", field: "destination")
                let extractor = try ArchiveExtractor(
                    workspace: context.workspace, archive: archive, requested: requested, limits: limits, deadline: deadline)
                let entries = try extractor.extract(into: destination)
                var result = output("extract", archive: archive, format: extractor.format, entries: entries, bytes: extractor.archiveBytes)
                result["destination"] = .string(destination.value)
                return .object(result)
            default:
                let extractor = try ArchiveExtractor(
                    workspace: context.workspace, archive: archive, requested: requested, limits: limits, deadline: deadline)
                let entries = try extractor.list()
                return .object(output("list", archive: archive, format: extractor.format, entries: entries, bytes: extractor.archiveBytes))
            }
        }
    }

    private func output(
        _ operation: String, archive: WorkspacePath, format: ArchiveFormat, entries: [ArchiveEntryInfo], bytes: Int
    ) -> [String: JSONValue] {
        [
            "operation": .string(operation),
            "archive": .string(archive.value),
            "format": .string(format.rawValue),
            "entries": .array(entries.map { ["path": .string($0.path), "type": .string($0.kind.rawValue), "size": .int($0.size)] }),
            "entryCount": .int(entries.count),
            "archiveBytes": .int(bytes),
        ]
    }
}
