// What the pane tells a screen reader and where it scrolls, for component tests (jsdom).
import { render } from "@testing-library/react";
import { LiveAnnouncer } from "../../src/taskpane/ui/announcer";

/** Mounts the pane's live region and collects what it says to screen readers, in order. */
export function listenToAnnouncements(): string[] {
  const heard: string[] = [];
  render(<LiveAnnouncer />);
  const region = document.getElementById("sidecar-announcements")!;
  new MutationObserver(() => {
    if (region.textContent) heard.push(region.textContent);
  }).observe(region, { childList: true });
  return heard;
}

/** Records scrollIntoView calls (jsdom has none); `stopWatchingScrolling` after each test. */
export function watchScrolling(): jest.Mock {
  const scrolled = jest.fn();
  Element.prototype.scrollIntoView = function (this: Element, options?: boolean | ScrollIntoViewOptions) {
    scrolled(this, options);
  };
  return scrolled;
}

export function stopWatchingScrolling(): void {
  delete (Element.prototype as Partial<Element>).scrollIntoView;
}
