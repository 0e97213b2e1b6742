import ArgumentParser
import Registry
import ToolhostCore

extension PrivilegeLevel: ExpressibleByArgument {
    /// Reads `2` or `EXECUTE_SAFE` from the command line.
    public init?(argument: String) { self.init(parsing: argument) }

    public static var allValueStrings: [String] { allCases.map { String($0.rawValue) } + allCases.map(\.name) }
}

extension PropertyRequirement {
    /// Reads `PROPERTY` or `PROPERTY:TYPE`; a bad type is a usage error whose message lists the types.
    init(argument: String) throws {
        do {
            try self.init(parsing: argument)
        } catch {
            throw ArgumentParser.ValidationError(error.message)
        }
    }
}
