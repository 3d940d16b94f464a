// The pane follows the Office theme: a dark Office gets Fluent's dark theme (its own small chunk,
// loaded before the first paint), a light one the light theme.
import { webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { themeFor } from "../../../src/taskpane/app/theme";

test("a light Office theme gives the light Fluent theme", async () => {
  await expect(themeFor({ darkTheme: false })).resolves.toBe(webLightTheme);
});

test("a dark Office theme gives the dark Fluent theme", async () => {
  const theme = await themeFor({ darkTheme: true });
  expect(theme).toBe(webDarkTheme);
  expect(theme.colorNeutralBackground1).not.toBe(webLightTheme.colorNeutralBackground1);
});
