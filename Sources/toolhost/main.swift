import ToolhostCLI

ToolhostMain.run()
