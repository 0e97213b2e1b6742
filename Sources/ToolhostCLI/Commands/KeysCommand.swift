import ArgumentParser
import Foundation
import Registry
import ToolhostCore

/// `toolhost keys …`: API keys and package signing keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create API keys and package signing keys.",
        subcommands: [CreateAPIKey.self, CreateSigningKey.self]
    )
}

/// `toolhost keys create`
struct CreateAPIKey: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API key on the registry server (needs a key with the admin scope).",
        discussion: """
            The secret is printed once; the server keeps only its hash. A key for another tenant needs a \
            SUPER_ADMIN key (such as the local admin key), and no key gets more privilege than the one creating it.
            """
    )

    @Option(help: "The tenant the key belongs to (default: the creating key's tenant).")
    var tenant: String?

    @Option(help: "The highest privilege level of the tools the key may call (1-5 or a name such as EXECUTE_SAFE).")
    var maxPrivilege: PrivilegeLevel

    @Option(
        help: ArgumentHelp(
            "Comma-separated scopes: \(Scope.allCases.map(\.rawValue).joined(separator: ", ")) (repeatable).", valueName: "scope,…"))
    var scopes: [String]

    @Option(help: "A name that says what the key is for.")
    var name: String?

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    /// The scopes, split at commas, each one checked.
    var scopeNames: [String] {
        get throws {
            let names = scopes.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for name in names where Scope(rawValue: name) == nil {
                throw ValidationError("--scopes: unknown scope \"\(name)\"; expected \(Scope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard !names.isEmpty else { throw ValidationError("--scopes: give at least one scope") }
            return Array(Set(names)).sorted()
        }
    }

    func validate() throws { _ = try scopeNames }

    func run() async throws {
        let client = try remote.requiredClient(dataDirectory: data.url)
        let created = try await client.createKey(
            .init(tenant: tenant, name: name, maxPrivilege: maxPrivilege.rawValue, scopes: try scopeNames))
        if output.json {
            Console.printJSON(created)
            return
        }
        let level = created["maxPrivilege"]?.intValue.flatMap(PrivilegeLevel.init(rawValue:)).map(\.description) ?? "?"
        let scopes = created["scopes"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? ""
        let id = created["id"]?.stringValue ?? "?"
        Console.print("created API key \(id) for tenant \(created["tenant"]?.stringValue ?? "?") (max privilege \(level); scopes \(scopes))")
        Console.print("secret (shown only now; store it, e.g. export TOOLHOST_KEY=…):")
        Console.print(created["secret"]?.stringValue ?? "")
    }
}

/// `toolhost keys signing-key`
struct CreateSigningKey: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "signing-key",
        abstract: "Create an Ed25519 key pair for signing packages and register its public half with the server.",
        discussion: """
            Writes the private key to --out (mode 0600, never overwritten) and the public key to <out>.pub, then \
            registers the public key for the namespace. Once a namespace has a key, the server refuses unsigned \
            uploads to it. The namespace defaults to the one in ./toolhost.json when the current directory is a package.
            """
    )

    @Option(help: "Where to write the private key; the public key goes to the same path plus .pub.")
    var out: String

    @Option(help: "The namespace to register the key for (default: the namespace of ./toolhost.json).")
    var namespace: String?

    @Flag(
        name: .customLong("register"), inversion: .prefixedNo,
        help: "Register the public key with the server (--no-register: only write the files).")
    var register = true

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let privateURL = URL(fileURLWithPath: out)
        let publicURL = URL(fileURLWithPath: out + ".pub")
        // Everything that can be refused is checked before a key is made or a file written.
        let target = register ? try registration() : nil
        for url in [privateURL, publicURL] where FileManager.default.fileExists(atPath: url.path) {
            throw ToolhostError(.conflict, "\(url.path) exists; refusing to overwrite a key file (choose another --out)")
        }
        let key = PackageSigningKey.generate()
        do throws(PublishError) {
            try key.save(to: privateURL)
            try key.publicKey.save(to: publicURL)
        } catch {
            try? FileManager.default.removeItem(at: privateURL)
            throw error.toolhostError
        }
        var fingerprint: String?
        if let (client, namespace) = target {
            do {
                let answer = try await client.registerSigningKey(key.publicKey, namespace: namespace)
                fingerprint = answer["fingerprint"]?.stringValue
            } catch {
                // A key the server does not know is of no use; removing it lets the same command be run again.
                try? FileManager.default.removeItem(at: privateURL)
                try? FileManager.default.removeItem(at: publicURL)
                throw error
            }
        }
        report(
            privateURL: privateURL, publicURL: publicURL, key: key.publicKey, namespace: target?.1, fingerprint: fingerprint,
            server: target?.0.server)
    }

    /// The client and namespace to register with.
    private func registration() throws -> (RegistryClient, String) {
        let client = try remote.requiredClient(dataDirectory: data.url)
        if let namespace { return (client, namespace) }
        let manifest = URL(fileURLWithPath: "toolhost.json")
        if let data = try? Data(contentsOf: manifest), let loaded = try? ManifestLoader.load(data: data, source: "toolhost.json") {
            return (client, loaded.manifest.namespace)
        }
        throw ValidationError("--namespace: name the namespace to register the key for (or pass --no-register to only write the key files)")
    }

    private func report(privateURL: URL, publicURL: URL, key: PackagePublicKey, namespace: String?, fingerprint: String?, server: URL?) {
        if output.json {
            var document: [String: JSONValue] = [
                "privateKeyFile": .string(privateURL.path), "publicKeyFile": .string(publicURL.path),
                "publicKey": .string(key.base64), "fingerprint": .string(fingerprint ?? key.fingerprint),
                "registered": .bool(namespace != nil),
            ]
            if let namespace { document["namespace"] = .string(namespace) }
            Console.printJSON(.object(document))
            return
        }
        Console.print("wrote \(privateURL.path) (private key, mode 0600) and \(publicURL.path)")
        if let namespace, let server {
            Console.print("registered signing key \(fingerprint ?? key.fingerprint) for namespace \(namespace) on \(server.absoluteString)")
        }
    }
}
