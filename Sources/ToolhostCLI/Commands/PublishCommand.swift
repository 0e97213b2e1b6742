import ArgumentParser
import Foundation
import Registry
import ToolhostCore

/// `toolhost publish`: pack, hash, sign and upload a tool package.
struct PublishCommand: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish a tool package directory to the registry server.",
        discussion: """
            Packs DIR into a deterministic .tar.gz (the same files give the same bytes and the same sha256), \
            signs the archive with --sign-key when given, and uploads it with its sha256. The server checks the \
            checksum, the signature (required once the namespace has a registered signing key), the package's \
            safety, manifest, schemas and privilege levels, and refuses a version that already exists.

            --dry-run packs, hashes and signs, prints the sha256, and uploads nothing.
            """
    )

    @Argument(help: "The package directory (with toolhost.json at its root).")
    var directory: String

    @Option(help: "The Ed25519 key file to sign the archive with (from `toolhost keys signing-key`).")
    var signKey: String?

    @Flag(help: """
        Only the publishing tenant sees the new package (default: every tenant does). A package's visibility is fixed \
        by its first publish: later versions keep it, and --private for a public package is refused.
        """)
    var `private` = false

    @Flag(help: "Pack, hash and sign, print the result, and upload nothing.")
    var dryRun = false

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let folder = URL(fileURLWithPath: directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ToolhostError(.invalidInput, "\(directory): not a directory")
        }
        // Read the key first: a key file others can read is refused before any work is done.
        var key: PackageSigningKey?
        if let signKey {
            do throws(PublishError) { key = try PackageSigningKey.load(from: URL(fileURLWithPath: signKey)) } catch { throw error.toolhostError }
        }
        let archive: Data
        do throws(PublishError) {
            archive = try PackageArchiveWriter().pack(directory: folder)
        } catch {
            throw Self.packingError(error, directory: directory)
        }
        let digest = PackageDigest(of: archive)
        let signature: Data?
        do throws(PublishError) { signature = try key?.sign(archive) } catch { throw error.toolhostError }
        // Without --private, the server keeps the package's stored visibility (public for a new one).
        let visibility: Visibility? = `private` ? .private : nil

        if dryRun {
            try printDryRun(archive: archive, digest: digest, signed: signature != nil, visibility: visibility ?? .public, folder: folder)
            return
        }
        let client = try remote.requiredClient(dataDirectory: data.url)
        let published = try await client.publish(archive: archive, digest: digest, signature: signature, visibility: visibility)
        if output.json {
            Console.printJSON(published)
        } else {
            let name = published["name"]?.stringValue ?? "?"
            let version = published["version"]?.stringValue ?? "?"
            let sha256 = published["sha256"]?.stringValue ?? digest.hex
            var notes = [String]()
            if published["signed"] == true { notes.append("signed") }
            // The stored visibility, as the server answered it: a later version keeps the first one's.
            if published["visibility"] == "private" { notes.append("private") }
            Console.print("published \(name)@\(version) sha256:\(sha256)" + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))"))
        }
    }

    private func printDryRun(archive: Data, digest: PackageDigest, signed: Bool, visibility: Visibility, folder: URL) throws {
        // The server validates the manifest in full; here it only names what would be published.
        let manifestURL = folder.appendingPathComponent(PackageArchiveReader.manifestPath)
        let manifestData: Data
        do { manifestData = try Data(contentsOf: manifestURL) } catch {
            throw ToolhostError(.invalidInput, "\(manifestURL.path): cannot read: \(error.localizedDescription)")
        }
        let manifest = try ManifestLoader.load(data: manifestData, source: manifestURL.path).manifest
        if output.json {
            Console.printJSON([
                "name": .string(manifest.name), "version": .string(manifest.version.description), "sha256": .string(digest.hex),
                "size": .int(archive.count), "signed": .bool(signed), "visibility": .string(visibility.rawValue), "dryRun": true,
            ])
        } else {
            Console.print("would publish \(manifest.name)@\(manifest.version) \(digest) (\(archive.count) bytes\(signed ? ", signed" : ""))")
        }
    }

    /// A packing refusal as the CLI reports it: the package's own code stays visible in the message.
    private static func packingError(_ error: PublishError, directory: String) -> ToolhostError {
        var converted = error.toolhostError
        converted.message = "\(directory): \(error.code): \(error.message)"
        return converted
    }
}
