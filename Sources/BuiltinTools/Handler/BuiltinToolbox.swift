/// The handlers of the built-in tools, by tool name.
public enum BuiltinToolbox {
    /// Every built-in handler. Each name matches a folder of `Tools/`; a test checks both ways.
    public static let handlers: [any BuiltinTool] = [
        ArchiveTool(),
        CSVQueryTool(),
        DatetimeConvertTool(),
        EmailSendTool(),
        EncodeDecodeTool(),
        FileReadTool(),
        FileSearchTool(),
        FileWriteTool(),
        HashDigestTool(),
        HTTPRequestTool(),
        JSExecTool(),
        JSONQueryTool(),
        JSONSchemaValidateTool(),
        PDFExtractTextTool(),
        PythonExecTool(),
        RegexTool(),
        ShellExecTool(),
        SlackPostTool(),
        SQLiteExecuteTool(),
        SQLiteQueryTool(),
        TemplateRenderTool(),
        TextDiffTool(),
        WebFetchTool(),
        WebSearchTool(),
    ]

    /// The handlers keyed by tool name.
    public static let byName: [String: any BuiltinTool] = Dictionary(uniqueKeysWithValues: handlers.map { ($0.name, $0) })

    /// The handler of `name`, or nil when no built-in has that name.
    public static func handler(named name: String) -> (any BuiltinTool)? {
        byName[name]
    }
}
