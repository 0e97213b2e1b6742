import ArgumentParser
import Foundation
import Hummingbird
import Registry
import Server
import ToolhostCore

/// `toolhost serve`: the HTTP API on the embedded store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start the HTTP API (Ctrl-C or SIGTERM stops it gracefully).")

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"
    @Option(help: "The port to listen on.")
    var port = 8080
    @OptionGroup var data: DataDirectoryOptions
    @Flag(help: "Publish the example packages of Registry/examples/ that are not in the catalog yet.")
    var publishExamples = false

    func run() async throws {
        ServerLogHandler.installed
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = data.url
        let server = try await ToolhostServer(configuration: configuration)
        if publishExamples { await ExamplePackages.publishMissing(into: server) }
        Console.printError("toolhost serving on http://\(host):\(port) (data in \(data.url.path); admin key in \(server.adminKeyFile.path))")
        try await server.application().runService()
    }
}

/// The example community packages, published on first start by `make run`.
enum ExamplePackages {
    static func publishMissing(into server: ToolhostServer) async {
        guard let examples = ProjectFolder.locate("Registry", containing: "schema/toolhost.schema.json", variable: "TOOLHOST_REGISTRY_DIR")?
            .appendingPathComponent("examples"),
            let folders = try? FileManager.default.contentsOfDirectory(atPath: examples.path).sorted()
        else { return }
        let admin = Caller.localAdmin
        let limitDefaults = server.limitDefaults
        for folder in folders {
            let directory = examples.appendingPathComponent(folder)
            guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("toolhost.json").path) else { continue }
            do {
                let archive = try PackageArchiveWriter().pack(directory: directory)
                var request = PublishRequest(archive: archive, caller: admin)
                request.limitDefaults = limitDefaults
                let published = try await server.registry.publishing.publish(request)
                Console.printError("published example \(published.name)@\(published.version)")
            } catch let error as ToolhostError where error.code == .conflict {
                continue
            } catch {
                Console.printError("example \(folder) was not published: \(error)")
            }
        }
    }
}
