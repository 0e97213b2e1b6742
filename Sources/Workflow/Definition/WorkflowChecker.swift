import Foundation
import ToolhostCore

/// Turns a definition document into a ``WorkflowDefinition``, collecting every problem with its
/// location: missing or unknown fields, unknown node kinds, duplicate ids, edges and references to
/// missing nodes, expressions that do not compile (with their column), schemas that do not
/// compile, unreachable nodes, and state keys that branches running at once both write without a
/// reducer.
struct WorkflowChecker {
    let source: String
    let map: SourceMap
    private var problems: [WorkflowDefinitionError.Problem] = []

    init(source: String, map: SourceMap) {
        self.source = source
        self.map = map
    }

    static let topLevelFields: Set<String> = ["name", "version", "description", "state", "reducers", "entry", "nodes", "edges"]

    mutating func check(_ document: JSONValue) throws(WorkflowDefinitionError) -> WorkflowDefinition {
        guard let top = document.objectValue else {
            throw WorkflowDefinitionError(source: source, problems: [.init(location: map.location(""), message: "expected an object with name, entry, nodes and edges")])
        }
        for key in top.keys.sorted() where !Self.topLevelFields.contains(key) {
            report("/\(key)", "unknown field \"\(key)\"; expected \(Self.topLevelFields.sorted().joined(separator: ", "))")
        }
        let name = text(top["name"], at: "/name", required: true) ?? ""
        let entry = text(top["entry"], at: "/entry", required: true) ?? ""
        let stateSchema = top["state"]
        if let stateSchema { compileSchema(stateSchema, at: "/state") }
        let reducers = readReducers(top["reducers"])

        var nodes: [WorkflowNode] = []
        if let list = top["nodes"]?.arrayValue, !list.isEmpty {
            var seen: [String: String] = [:]
            for (index, value) in list.enumerated() {
                guard let node = readNode(value, at: "/nodes/\(index)") else { continue }
                if let first = seen[node.id] {
                    report("/nodes/\(index)/id", "the node id \"\(node.id)\" is used twice (first at \(map.location(first)))")
                    continue
                }
                seen[node.id] = "/nodes/\(index)"
                nodes.append(node)
            }
        } else {
            report(top["nodes"] == nil ? "" : "/nodes", top["nodes"] == nil ? "missing field \"nodes\"" : "nodes: expected a non-empty list")
        }
        let ids = Set(nodes.map(\.id))

        var edges: [WorkflowEdge] = []
        if let value = top["edges"] {
            if let list = value.arrayValue {
                for (index, element) in list.enumerated() {
                    if let edge = readEdge(element, at: "/edges/\(index)", ids: ids) { edges.append(edge) }
                }
            } else {
                report("/edges", "expected a list of {from, to, when}")
            }
        }

        if !entry.isEmpty, !nodes.isEmpty, !ids.contains(entry) {
            report("/entry", "no node \"\(entry)\"; the nodes are \(nodes.map(\.id).joined(separator: ", "))")
        }
        for node in nodes {
            checkReferences(of: node, ids: ids)
        }
        let definition = WorkflowDefinition(
            name: name, version: text(top["version"], at: "/version", required: false),
            description: text(top["description"], at: "/description", required: false),
            stateSchema: stateSchema, reducers: reducers, entry: entry, nodes: nodes, edges: edges)
        if problems.isEmpty {
            checkReachability(definition)
            checkParallelWrites(definition)
        }
        guard problems.isEmpty else { throw WorkflowDefinitionError(source: source, problems: problems) }
        return definition
    }

    // MARK: - Parts

    private mutating func readReducers(_ value: JSONValue?) -> [String: Reducer] {
        guard let value else { return [:] }
        guard let object = value.objectValue else {
            report("/reducers", "expected an object of state keys to \(Reducer.allCases.map(\.rawValue).joined(separator: ", "))")
            return [:]
        }
        var reducers: [String: Reducer] = [:]
        for (key, name) in object {
            if let reducer = name.stringValue.flatMap(Reducer.init(rawValue:)) {
                reducers[key] = reducer
            } else {
                report("/reducers/\(key)", "unknown reducer \(name); expected one of \(Reducer.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        return reducers
    }

    private mutating func readNode(_ value: JSONValue, at pointer: String) -> WorkflowNode? {
        guard let fields = value.objectValue else {
            report(pointer, "expected a node object with id and kind")
            return nil
        }
        guard let id = text(fields["id"], at: pointer + "/id", required: true) else { return nil }
        if id.range(of: "^[A-Za-z_][A-Za-z0-9_.-]{0,127}$", options: .regularExpression) == nil {
            report(pointer + "/id", "\"\(id)\" is not a node id (a letter or _, then letters, digits, _ . -; at most 128)")
        }
        guard let kindName = text(fields["kind"], at: pointer + "/kind", required: true) else { return nil }
        guard let kind = NodeKinds.kind(named: kindName) else {
            report(pointer + "/kind", "unknown node kind \"\(kindName)\"; known kinds: \(NodeKinds.names.joined(separator: ", "))")
            return nil
        }
        var node = WorkflowNode(id: id, kind: kindName, fields: fields, expressions: [:], retry: nil, timeout: nil, fallback: nil,
                                location: map.location(pointer),
                                fieldLocations: Dictionary(uniqueKeysWithValues: fields.keys.map { ($0, map.location(pointer + "/" + $0)) }))
        for field in kind.required.keys.sorted() where fields[field] == nil {
            report(pointer, "a \(kindName) node needs \"\(field)\"")
        }
        for (field, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard let role = kind.role(of: field) ?? NodeKinds.common[field] else {
                let known = (Array(kind.required.keys) + Array(kind.optional.keys) + Array(NodeKinds.common.keys)).sorted()
                report(pointer + "/" + field, "a \(kindName) node has no field \"\(field)\"; its fields: \(known.joined(separator: ", "))")
                continue
            }
            read(value, role: role, field: field, at: pointer + "/" + field, into: &node)
        }
        if let retry = fields["retry"] { node.retry = readRetry(retry, at: pointer + "/retry") }
        return node
    }

    private mutating func read(_ value: JSONValue, role: NodeKind.Field, field: String, at pointer: String, into node: inout WorkflowNode) {
        switch role {
        case .expression:
            if let expression = compile(value, at: pointer) { node.expressions[field] = expression }
        case .stateUpdates:
            guard let object = value.objectValue, !object.isEmpty else { return report(pointer, "expected an object of state keys to expressions") }
            for (key, text) in object {
                if let expression = compile(text, at: pointer + "/" + key) { node.expressions["\(field).\(key)"] = expression }
            }
        case .output:
            if value.stringValue.map({ !$0.isEmpty }) == true { return }
            guard let object = value.objectValue, !object.isEmpty else {
                return report(pointer, "expected a state key, or an object of state keys to expressions over output")
            }
            for (key, text) in object {
                if let expression = compile(text, at: pointer + "/" + key) { node.expressions["\(field).\(key)"] = expression }
            }
        case .node:
            if field == "fallback" { node.fallback = value.stringValue }
            if value.stringValue?.isEmpty != false { report(pointer, "expected a node id") }
        case .cases:
            guard let cases = value.arrayValue, !cases.isEmpty else { return report(pointer, "expected a list of {when, to}") }
            for (index, element) in cases.enumerated() {
                guard let when = element["when"], let to = element["to"]?.stringValue, element.objectValue?.count == 2 else {
                    report("\(pointer)/\(index)", "expected {when, to}")
                    continue
                }
                _ = to
                if let expression = compile(when, at: "\(pointer)/\(index)/when") { node.expressions["\(field)[\(index)].when"] = expression }
            }
        case .schema:
            compileSchema(value, at: pointer)
        case .duration:
            if let duration = Self.duration(value) {
                if field == "timeout" { node.timeout = duration }
            } else {
                report(pointer, "expected a duration: seconds, or a number with ms, s, m or h (\"250ms\", \"10s\", \"1h\")")
            }
        case .positiveInteger:
            if (value.intValue ?? 0) < 1 { report(pointer, "expected a positive integer") }
        case .text:
            if value.stringValue?.isEmpty != false { report(pointer, "expected a non-empty string") }
        case .nodes:
            if value.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true { report(pointer, "expected a list of node ids") }
        case .any:
            break
        }
    }

    private mutating func readRetry(_ value: JSONValue, at pointer: String) -> RetryPolicy? {
        guard let object = value.objectValue else {
            report(pointer, "expected {maxAttempts, initialDelay, multiplier, maxDelay, jitter}")
            return nil
        }
        var policy = RetryPolicy()
        for (key, member) in object {
            switch key {
            case "maxAttempts":
                guard let number = member.intValue, number >= 1 else { report(pointer + "/" + key, "expected an integer of at least 1"); continue }
                policy.maxAttempts = number
            case "initialDelay", "multiplier", "maxDelay":
                guard let number = member.doubleValue, number >= 0 else { report(pointer + "/" + key, "expected a number of at least 0"); continue }
                switch key {
                case "initialDelay": policy.initialDelay = number
                case "multiplier": policy.multiplier = number
                default: policy.maxDelay = number
                }
            case "jitter":
                guard let flag = member.boolValue else { report(pointer + "/" + key, "expected true or false"); continue }
                policy.jitter = flag
            default:
                report(pointer + "/" + key, "unknown retry setting \"\(key)\"; expected maxAttempts, initialDelay, multiplier, maxDelay, jitter")
            }
        }
        return policy
    }

    private mutating func readEdge(_ value: JSONValue, at pointer: String, ids: Set<String>) -> WorkflowEdge? {
        guard let object = value.objectValue else {
            report(pointer, "expected {from, to, when}")
            return nil
        }
        for key in object.keys.sorted() where !["from", "to", "when"].contains(key) {
            report(pointer + "/" + key, "an edge has no field \"\(key)\"; expected from, to, when")
        }
        guard let from = text(object["from"], at: pointer + "/from", required: true),
              let to = text(object["to"], at: pointer + "/to", required: true) else { return nil }
        for (field, id) in [("from", from), ("to", to)] where !ids.isEmpty && !ids.contains(id) {
            report(pointer + "/" + field, "no node \"\(id)\"")
        }
        let when = object["when"].flatMap { compile($0, at: pointer + "/when") }
        return WorkflowEdge(from: from, to: to, when: when, location: map.location(pointer))
    }

    // MARK: - The graph

    /// The nodes a node may lead to other than by its edges: a branch's cases and default, a
    /// guard's onFail, a fallback.
    static func implicitTargets(of node: WorkflowNode) -> [String] {
        var targets: [String] = []
        if let fallback = node.fallback { targets.append(fallback) }
        if node.kind == "branch" {
            targets += (node.fields["cases"]?.arrayValue ?? []).compactMap { $0["to"]?.stringValue }
            if let otherwise = node.fields["default"]?.stringValue { targets.append(otherwise) }
        }
        if node.kind == "guard", let onFail = node.fields["onFail"]?.stringValue { targets.append(onFail) }
        return targets
    }

    private mutating func checkReferences(of node: WorkflowNode, ids: Set<String>) {
        let pointer = node.location.pointer
        if let fallback = node.fallback, !ids.contains(fallback) { report(pointer + "/fallback", "no node \"\(fallback)\"") }
        if node.kind == "branch" {
            for (index, element) in (node.fields["cases"]?.arrayValue ?? []).enumerated() {
                if let to = element["to"]?.stringValue, !ids.contains(to) { report("\(pointer)/cases/\(index)/to", "no node \"\(to)\"") }
            }
            if let target = node.fields["default"]?.stringValue, !ids.contains(target) { report(pointer + "/default", "no node \"\(target)\"") }
        }
        if node.kind == "guard", let target = node.fields["onFail"]?.stringValue, !ids.contains(target) {
            report(pointer + "/onFail", "no node \"\(target)\"")
        }
        if node.kind == "join" {
            for (index, id) in (node.fields["require"]?.arrayValue ?? []).compactMap(\.stringValue).enumerated() where !ids.contains(id) {
                report("\(pointer)/require/\(index)", "no node \"\(id)\"")
            }
        }
    }

    /// Every node must be reachable from the entry.
    private mutating func checkReachability(_ definition: WorkflowDefinition) {
        var reached: Set<String> = [definition.entry]
        var frontier = [definition.entry]
        while let id = frontier.popLast() {
            guard let node = definition.node(id) else { continue }
            for next in definition.edges(from: id).map(\.to) + Self.implicitTargets(of: node) where reached.insert(next).inserted {
                frontier.append(next)
            }
        }
        for node in definition.nodes where !reached.contains(node.id) {
            report(node.location.pointer, "the node \"\(node.id)\" is unreachable from the entry \"\(definition.entry)\"")
        }
    }

    /// The state keys a node writes.
    static func writes(of node: WorkflowNode) -> Set<String> {
        var keys: Set<String> = []
        if let output = node.fields["output"] {
            if let key = output.stringValue { keys.insert(key) } else { keys.formUnion(output.objectValue?.keys ?? [:].keys) }
        }
        if node.kind == "set" { keys.formUnion(node.fields["set"]?.objectValue?.keys ?? [:].keys) }
        return keys
    }

    /// Where a node fans out (several outgoing edges, which may all match), the branches run at
    /// once until they meet at a join: a key that two of them write needs a reducer.
    private mutating func checkParallelWrites(_ definition: WorkflowDefinition) {
        for fan in definition.nodes {
            let targets = definition.edges(from: fan.id).map(\.to)
            guard targets.count > 1 else { continue }
            var writers: [String: String] = [:]  // state key → first node that writes it
            var reported: Set<String> = []
            for target in targets {
                for id in branchNodes(from: target, in: definition) {
                    guard let node = definition.node(id) else { continue }
                    for key in Self.writes(of: node) where definition.reducers[key] == nil {
                        if let other = writers[key], other != id, reported.insert(key).inserted {
                            report(node.location.pointer, "\"\(other)\" and \"\(id)\" can run at once after \"\(fan.id)\" and both write state.\(key); "
                                    + "declare how their writes combine in reducers (\(Reducer.allCases.map(\.rawValue).joined(separator: ", ")))")
                        } else if writers[key] == nil {
                            writers[key] = id
                        }
                    }
                }
            }
        }
    }

    /// The nodes of the branch that starts at `start`, up to (not including) the join nodes where branches meet.
    private func branchNodes(from start: String, in definition: WorkflowDefinition) -> Set<String> {
        var seen: Set<String> = []
        var frontier = [start]
        while let id = frontier.popLast() {
            guard let node = definition.node(id), node.kind != "join", seen.insert(id).inserted else { continue }
            frontier += definition.edges(from: id).map(\.to) + Self.implicitTargets(of: node)
        }
        return seen
    }

    // MARK: - Values

    private mutating func text(_ value: JSONValue?, at pointer: String, required: Bool) -> String? {
        guard let value else {
            if required { report(String(pointer[..<(pointer.lastIndex(of: "/") ?? pointer.startIndex)]), "missing field \"\(pointer.split(separator: "/").last ?? "")\"") }
            return nil
        }
        guard let string = value.stringValue, !string.isEmpty else {
            report(pointer, "expected a non-empty string, got \(value.typeName)")
            return nil
        }
        return string
    }

    private mutating func compile(_ value: JSONValue, at pointer: String) -> JMESPathExpression? {
        guard let text = value.stringValue else {
            report(pointer, "expected a JMESPath expression (a string), got \(value.typeName)")
            return nil
        }
        do {
            return try JMESPathExpression(text)
        } catch {
            let column = error.column.map { " at column \($0)" } ?? ""
            report(pointer, "the expression \"\(text)\" does not compile\(column): \(error.message)")
            return nil
        }
    }

    private mutating func compileSchema(_ value: JSONValue, at pointer: String) {
        do {
            _ = try JSONSchema(value)
        } catch {
            report(pointer, "not a valid JSON Schema: \(error)")
        }
    }

    /// Seconds as a number, or a number with `ms`, `s`, `m` or `h`.
    static func duration(_ value: JSONValue) -> Duration? {
        if let seconds = value.doubleValue, value.isNumber { return seconds > 0 ? .milliseconds(Int64((seconds * 1000).rounded())) : nil }
        guard let text = value.stringValue?.trimmingCharacters(in: .whitespaces) else { return nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number > 0 else { return nil }
            return .milliseconds(Int64((number * scale * 1000).rounded()))
        }
        return nil
    }

    private mutating func report(_ pointer: String, _ message: String) {
        problems.append(.init(location: map.location(pointer), message: message))
    }
}
