import ToolhostCLI

await ToolhostMain.run()
