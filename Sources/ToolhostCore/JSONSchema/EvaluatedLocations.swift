/// The `unevaluatedProperties`/`unevaluatedItems` annotations of one instance location: which members
/// and items some successful keyword has already looked at.
///
/// Only collected while some enclosing schema has an `unevaluated*` keyword; otherwise it stays empty and free.
struct EvaluatedLocations {
    var allProperties = false
    var properties: Set<String> = []
    var allItems = false
    /// Items with an index below this were evaluated (by `prefixItems`).
    var itemPrefix = 0
    /// Individual items evaluated (by `contains`).
    var items: Set<Int> = []

    /// Adds the annotations of a successful in-place subschema (`allOf`, `$ref`, `then`…).
    mutating func merge(_ other: EvaluatedLocations) {
        if other.allProperties {
            allProperties = true
            properties = []
        } else if !allProperties && !other.properties.isEmpty {
            properties.formUnion(other.properties)
        }
        allItems = allItems || other.allItems
        itemPrefix = max(itemPrefix, other.itemPrefix)
        if !other.items.isEmpty { items.formUnion(other.items) }
    }

    func isEvaluated(property name: String) -> Bool {
        allProperties || properties.contains(name)
    }

    func isEvaluated(item index: Int) -> Bool {
        allItems || index < itemPrefix || items.contains(index)
    }
}
