// The ribbon's function file (commands.html, <FunctionFile> in manifest.xml). Sidecar's only
// ribbon button is ShowTaskpane, which Office handles by itself, so there is nothing to register:
// an ExecuteFunction button would add its handler here with Office.actions.associate("name", fn).
Office.onReady(() => {
  // Office requires the function file to initialise; no commands to associate yet.
});
