import Foundation
import ToolhostCore
import Yams

/// Loads workflow definitions from YAML or JSON and checks them (``WorkflowChecker``).
///
/// ```swift
/// let flow = try WorkflowLoader.load(contentsOf: URL(fileURLWithPath: "research.yaml"))
/// ```
public enum WorkflowLoader {
    /// Loads a `.yaml`/`.yml` or `.json` file.
    /// - Throws: ``ToolhostCore/ToolhostError`` `invalid_input` naming the file, each problem's line (YAML)
    ///   or JSON pointer, and what is wrong; `storage_error` when it cannot be read.
    public static func load(contentsOf url: URL) throws(ToolhostError) -> WorkflowDefinition {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ToolhostError(.storage, "cannot read \(url.path): \(error.localizedDescription)")
        }
        return url.pathExtension.lowercased() == "json"
            ? try load(json: text, source: url.lastPathComponent) : try load(yaml: text, source: url.lastPathComponent)
    }

    /// Loads a YAML definition; problems carry their line and column.
    public static func load(yaml text: String, source: String = "workflow.yaml") throws(ToolhostError) -> WorkflowDefinition {
        let (document, map) = try YAMLDocument.parse(text, source: source)
        return try check(document, map: map, source: source)
    }

    /// Loads a JSON definition; problems carry their JSON pointer.
    public static func load(json text: String, source: String = "workflow.json") throws(ToolhostError) -> WorkflowDefinition {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: text)
        } catch {
            throw ToolhostError(.invalidInput, "\(source): invalid JSON at line \(error.line), column \(error.column): \(error.message)")
        }
        return try check(document, map: SourceMap(), source: source)
    }

    /// Checks a definition that is already a JSON value (an API request's body).
    public static func load(_ document: JSONValue, source: String) throws(ToolhostError) -> WorkflowDefinition {
        try check(document, map: SourceMap(), source: source)
    }

    private static func check(_ document: JSONValue, map: SourceMap, source: String) throws(ToolhostError) -> WorkflowDefinition {
        var checker = WorkflowChecker(source: source, map: map)
        do throws(WorkflowDefinitionError) {
            return try checker.check(document)
        } catch {
            throw error.toolhostError
        }
    }
}

/// YAML to a JSON value, remembering where each value was written.
enum YAMLDocument {
    static func parse(_ text: String, source: String) throws(ToolhostError) -> (JSONValue, SourceMap) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ToolhostError(.invalidInput, "\(source): invalid YAML: \(error)")
        } catch {
            throw ToolhostError(.invalidInput, "\(source): invalid YAML: \(error)")
        }
        guard let root else { throw ToolhostError(.invalidInput, "\(source): the document is empty") }
        var map = SourceMap()
        let value = try convert(root, pointer: "", map: &map, source: source)
        return (value, map)
    }

    /// A plain scalar as the YAML 1.2 core schema reads it: null, a boolean, an integer, a float, or a string.
    static func coreValue(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if text.range(of: "^[-+]?[0-9]+$", options: .regularExpression) != nil, let number = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) {
            return .int(number)
        }
        if text.range(of: "^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$", options: .regularExpression) != nil, let number = Double(text) {
            return .double(number)
        }
        return .string(text)
    }

    private static func convert(_ node: Node, pointer: String, map: inout SourceMap, source: String) throws(ToolhostError) -> JSONValue {
        if let mark = node.mark { map.positions[pointer] = (mark.line, mark.column) }
        switch node {
        case .scalar(let scalar):
            // Quoted scalars are strings whatever they look like; plain ones take the YAML 1.2 core
            // schema's types (so `no` stays a string, unlike YAML 1.1).
            return scalar.style == .plain ? coreValue(scalar.string) : .string(scalar.string)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let name) = key else {
                    throw ToolhostError(.invalidInput, "\(source): \(map.location(pointer)): a mapping key must be a plain string")
                }
                let child = pointer + "/" + name.string.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                if object[name.string] != nil {
                    throw ToolhostError(.invalidInput, "\(source): \(map.location(child)): the key \"\(name.string)\" appears twice")
                }
                object[name.string] = try convert(value, pointer: child, map: &map, source: source)
            }
            return .object(object)
        case .sequence(let sequence):
            var array: [JSONValue] = []
            for (index, element) in sequence.enumerated() {
                array.append(try convert(element, pointer: "\(pointer)/\(index)", map: &map, source: source))
            }
            return .array(array)
        case .alias:
            throw ToolhostError(.invalidInput, "\(source): \(map.location(pointer)): YAML aliases are not supported")
        }
    }
}
