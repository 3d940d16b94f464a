// The Fluent theme that matches the Office theme. The dark theme is its own small chunk, loaded
// before the first paint only when Office (or the system, in a browser tab) is dark.
import { webLightTheme, type Theme } from "@fluentui/react-components";
import type { HostInfo } from "../office/document-host";

export async function themeFor(info: Pick<HostInfo, "darkTheme">): Promise<Theme> {
  if (!info.darkTheme) return webLightTheme;
  try {
    const { webDarkTheme } = await import(/* webpackChunkName: "dark-theme" */ "@fluentui/react-components");
    return webDarkTheme;
  } catch {
    return webLightTheme; // readable either way; better than no pane
  }
}
