/// One compiled subschema. Nodes live in an array and refer to each other by index, which lets
/// recursive `$ref`s form cycles without reference counting or re-resolution at validation time.
struct SchemaNode: Sendable {
    /// Keywords in a fixed evaluation order; `unevaluated*` come last because they read their siblings' annotations.
    var keywords: [CompiledKeyword] = []
    /// Index of the schema resource this subschema belongs to, for `$dynamicRef`'s dynamic scope.
    var resource = 0
    /// This node's index in ``CompiledSchemaStore/nodes``; its absolute location is kept apart, in
    /// ``CompiledSchemaStore/absoluteLocations``, so that evaluating a node copies no string.
    var index = 0
    /// Whether this node has `unevaluatedProperties` or `unevaluatedItems`, and so must collect annotations.
    var tracksUnevaluated = false
    /// Whether this is the `false` schema, so parents can word the error in their own terms ("unexpected property").
    var isFalse = false
}

/// A schema resource (a subtree with its own base URI) and the `$dynamicAnchor`s it declares.
struct SchemaResource: Sendable {
    var uri: String
    var dynamicAnchors: [String: Int] = [:]
}

/// Every compiled node of one schema and of the schemas it references.
final class CompiledSchemaStore: Sendable {
    let nodes: [SchemaNode]
    /// "baseURI#/pointer" of each node, or nil when its resource has no base URI; read only when reporting errors.
    let absoluteLocations: [String?]
    let resources: [SchemaResource]
    let root: Int
    /// False when no `$dynamicRef` can resolve dynamically, so evaluation skips tracking the dynamic scope.
    let usesDynamicScope: Bool

    init(nodes: [SchemaNode], absoluteLocations: [String?], resources: [SchemaResource], root: Int, usesDynamicScope: Bool) {
        self.nodes = nodes
        self.absoluteLocations = absoluteLocations
        self.resources = resources
        self.root = root
        self.usesDynamicScope = usesDynamicScope
    }
}

/// A JSON number as written in a schema, kept exact when it is an integer.
enum SchemaNumber: Sendable, CustomStringConvertible {
    case int(Int)
    case double(Double)

    init?(_ value: JSONValue) {
        switch value {
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        default: return nil
        }
    }

    var doubleValue: Double {
        switch self {
        case .int(let number): return Double(number)
        case .double(let number): return number
        }
    }

    var description: String {
        switch self {
        case .int(let number): return String(number)
        case .double(let number): return JSONValue.double(number).serialized()
        }
    }
}

/// The JSON Schema primitive types, as a bit set so that `type` checks are a single AND.
struct JSONTypeSet: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = JSONTypeSet(rawValue: 1 << 0)
    static let boolean = JSONTypeSet(rawValue: 1 << 1)
    static let integer = JSONTypeSet(rawValue: 1 << 2)
    static let number = JSONTypeSet(rawValue: 1 << 3)
    static let string = JSONTypeSet(rawValue: 1 << 4)
    static let array = JSONTypeSet(rawValue: 1 << 5)
    static let object = JSONTypeSet(rawValue: 1 << 6)

    static let names: [(String, JSONTypeSet)] = [
        ("null", .null), ("boolean", .boolean), ("integer", .integer), ("number", .number),
        ("string", .string), ("array", .array), ("object", .object),
    ]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        guard let match = Self.names.first(where: { $0.0 == name }) else { return nil }
        self = match.1
    }

    /// Whether `value` has one of these types; "number" admits integers too.
    func admits(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return contains(.null)
        case .bool: return contains(.boolean)
        case .int: return !isDisjoint(with: [.integer, .number])
        case .double(let number):
            if contains(.number) { return true }
            return contains(.integer) && number.rounded(.towardZero) == number
        case .string: return contains(.string)
        case .array: return contains(.array)
        case .object: return contains(.object)
        }
    }

    /// "string or null".
    var readable: String {
        Self.names.filter { contains($0.1) }.map(\.0).joined(separator: " or ")
    }
}

/// Which numeric bound a `.bound` keyword checks.
enum BoundKind: Sendable {
    case minimum, exclusiveMinimum, maximum, exclusiveMaximum

    var keyword: String {
        switch self {
        case .minimum: return "minimum"
        case .exclusiveMinimum: return "exclusiveMinimum"
        case .maximum: return "maximum"
        case .exclusiveMaximum: return "exclusiveMaximum"
        }
    }
}

/// A named subschema: a `properties` or `dependentSchemas` entry.
struct NamedSubschema: Sendable {
    var name: String
    var node: Int
}

/// A `patternProperties` entry.
struct PatternSubschema: Sendable {
    var regex: ECMARegex
    var node: Int
}

/// `additionalProperties` with the sibling names and patterns that exclude a property from it.
struct AdditionalPropertiesRule: Sendable {
    var node: Int
    var declared: Set<String>
    var patterns: [ECMARegex]
}

/// `contains` with its sibling `minContains` and `maxContains`.
struct ContainsRule: Sendable {
    var node: Int
    var minimum: Int
    var maximum: Int?
}

/// A `dependentRequired` entry: when `property` is present, `required` must be too.
struct DependentRequirement: Sendable {
    var property: String
    var required: [String]
}

/// A compiled keyword with everything it needs resolved ahead of time.
enum CompiledKeyword: Sendable {
    case falseSchema
    case ref(Int)
    case dynamicRef(target: Int, anchor: String?)
    case type(JSONTypeSet)
    case enumeration([JSONValue])
    case const(JSONValue)
    case multipleOf(SchemaNumber)
    case bound(BoundKind, SchemaNumber)
    case minLength(Int)
    case maxLength(Int)
    case pattern(ECMARegex)
    case format(SchemaFormat)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case contains(ContainsRule)
    case minProperties(Int)
    case maxProperties(Int)
    case required([String])
    case dependentRequired([DependentRequirement])
    case prefixItems([Int])
    case items(node: Int, from: Int)
    case properties([NamedSubschema])
    case patternProperties([PatternSubschema])
    case additionalProperties(AdditionalPropertiesRule)
    case dependentSchemas([NamedSubschema])
    case propertyNames(Int)
    case conditional(if: Int, then: Int?, else: Int?)
    case allOf([Int])
    case anyOf([Int])
    case oneOf([Int])
    case not(Int)
    case unevaluatedItems(Int)
    case unevaluatedProperties(Int)
}
