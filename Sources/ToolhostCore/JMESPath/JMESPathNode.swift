/// The syntax tree of a compiled expression; each case is evaluated against a current node.
indirect enum JMESPathNode: Sendable {
    /// `@`, and the implicit current node of projections and filters.
    case current
    /// `foo` or `"foo"`: the member of an object, else null.
    case field(String)
    /// `a.b`, `a[0]`: each node is evaluated against the result of the one before.
    case chain([JMESPathNode])
    /// `[2]`, `[-1]`: an array element, else null.
    case index(Int)
    /// `[start:stop:step]`: a sub-array, else null; the step is never 0.
    case slice(start: Int?, stop: Int?, step: Int?)
    /// A backtick JSON literal or a raw string.
    case literal(JSONValue)
    /// `left[*] right`: `right` applied to each element of the array `left` gives, nulls dropped.
    case listProjection(left: JMESPathNode, right: JMESPathNode)
    /// `left.* right`: `right` applied to each value of the object `left` gives, nulls dropped.
    case objectProjection(left: JMESPathNode, right: JMESPathNode)
    /// `left[?condition] right`: like a list projection, over the elements where `condition` is truthy.
    case filterProjection(left: JMESPathNode, condition: JMESPathNode, right: JMESPathNode)
    /// `left[]`: the array `left` gives, with nested arrays spliced in one level.
    case flatten(JMESPathNode)
    /// `[a, b]`: null on a null current node, else the list of the results.
    case multiSelectList([JMESPathNode])
    /// `{k: a, l: b}`: null on a null current node, else an object of the results.
    case multiSelectHash([(key: String, value: JMESPathNode)])
    case comparison(JMESPathComparator, JMESPathNode, JMESPathNode)
    case or(JMESPathNode, JMESPathNode)
    case and(JMESPathNode, JMESPathNode)
    case not(JMESPathNode)
    /// `a | b`: `b` evaluated against the result of `a`; a pipe ends projections.
    case pipe(JMESPathNode, JMESPathNode)
    case function(JMESPathFunction, [JMESPathNode])
    /// `&expr`: the expression itself, passed unevaluated to functions such as `sort_by`.
    case expressionReference(JMESPathNode)

    /// The nodes directly below this one.
    var children: [JMESPathNode] {
        switch self {
        case .current, .field, .index, .slice, .literal: []
        case .chain(let nodes), .multiSelectList(let nodes), .function(_, let nodes): nodes
        case .listProjection(let left, let right), .objectProjection(let left, let right): [left, right]
        case .filterProjection(let left, let condition, let right): [left, condition, right]
        case .flatten(let node), .not(let node), .expressionReference(let node): [node]
        case .multiSelectHash(let pairs): pairs.map(\.value)
        case .comparison(_, let left, let right), .or(let left, let right), .and(let left, let right),
            .pipe(let left, let right):
            [left, right]
        }
    }

    /// The number of levels of the tree, counted without recursion so that any tree can be measured.
    var height: Int {
        var deepest = 0
        var pending: [(node: JMESPathNode, depth: Int)] = [(self, 1)]
        while let (node, depth) = pending.popLast() {
            deepest = max(deepest, depth)
            for child in node.children { pending.append((child, depth + 1)) }
        }
        return deepest
    }
}
